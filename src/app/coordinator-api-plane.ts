import type { Ingestor } from '../cluster/coordinator/ingest.ts';
import type { MaintenanceCalendar } from '../cluster/coordinator/maintenance-calendar.ts';
import type { NodeMetrics } from '../observability/metrics.ts';
import { newId } from '../lib/ids.ts';
import type { Logger } from '../observability/logger.ts';
import { createAuthService } from '../services/auth/auth-service.ts';
import type { AuthService } from '../services/auth/auth-service.ts';
import { ensureLocalTokenFile } from '../services/auth/local-token.ts';
import { prepareSetupToken } from '../services/auth/setup-token.ts';
import type { Store } from '../store/types.ts';
import type { MonitorChangeSink } from '../services/events.ts';
import type { CheckEngine } from './check-engine.ts';
import type { CoordinatorAlerting } from './coordinator-alerting.ts';
import { buildCoordinatorApi } from './coordinator-api.ts';
import type { RecordPing } from '../api/push-routes.ts';
import type { CoordinatorCluster } from './coordinator-cluster.ts';
import type { CoordinatorConsensus } from './coordinator-consensus.ts';
import type { CoordinatorEvents } from './coordinator-events.ts';
import { createCoordinatorHealth } from './coordinator-health.ts';
import type { CoordinatorOverview } from './coordinator-overview.ts';
import type { CoordinatorPlane, CoordinatorShared } from './coordinator-plane.ts';
import { createCoordinatorServices } from './coordinator-services.ts';
import { dashboardDir } from './dashboard-build.ts';
import type { LeaderPublisher } from './leader-publisher.ts';
import type { NodeContext } from './node-context.ts';
import type { RawWindowKeeper } from './storage-budget.ts';

/** The running parts the API plane reads or keeps current. */
export interface ApiPlaneDeps {
  ctx: NodeContext;
  shared: CoordinatorShared;
  plane: CoordinatorPlane;
  rawWindow: RawWindowKeeper;
  engine: CheckEngine;
  ingestor: Ingestor;
  consensus: CoordinatorConsensus;
  peerAddress: () => string;
  changes: MonitorChangeSink;
  overview: CoordinatorOverview;
  events: CoordinatorEvents;
  calendar: MaintenanceCalendar;
  alerting: CoordinatorAlerting;
  cluster: CoordinatorCluster;
  auth: AuthService;
  metrics: Pick<NodeMetrics, 'render' | 'contentType'>;
  publisher: LeaderPublisher;
  recordPing: RecordPing;
}

/**
 * The API plane every coordinator serves, leader or not: health, the operation services, REST
 * with the dashboard, MCP and push ingest, and the status pages. Built, not listening yet.
 */
export async function buildApiPlane(deps: ApiPlaneDeps) {
  const { ctx, shared, plane } = deps;
  const { config, identity, clock } = ctx;
  const { store } = shared.database;
  const log = shared.log;
  const health = createCoordinatorHealth({
    store,
    clock,
    nodeId: identity.nodeId,
    name: identity.name,
    region: identity.region,
    dataDir: config.dataDir,
    databasePath: shared.database.label,
    startedAt: shared.startedAt,
    engine: deps.engine,
    ingestor: deps.ingestor,
    consensus: deps.consensus,
    peerAddress: deps.peerAddress,
    storage: () => deps.rawWindow.view(),
    leading: plane.leading,
    leaseHolder: shared.leaseHolder,
  });
  const services = await createCoordinatorServices({
    store,
    clock,
    logger: log,
    publicListen: config.publicListen,
    changes: deps.changes,
    monitors: () => deps.engine.monitors.values(),
    ingestor: deps.ingestor,
    leading: plane.leading,
    publisher: deps.publisher,
    overview: deps.overview,
    events: deps.events,
    calendar: deps.calendar,
    alerting: deps.alerting,
    cluster: deps.cluster.service,
    probe: deps.cluster.probe,
    auth: deps.auth,
    health,
  });
  const { api, forward } = buildCoordinatorApi({
    services: { ...services.operations, auth: deps.auth },
    metrics: deps.metrics,
    logger: log,
    events: deps.events,
    dashboardDir: await dashboardDir(log),
    statusPages: services.statusPages,
    recordPing: deps.recordPing,
  });
  return { api, forward, statusPages: services.statusPages, configService: services.config };
}

/**
 * The auth service, with the data dir's local token file (this coordinator's own token on the
 * shared local admin) and the first-admin setup token when no admin exists yet.
 */
export async function prepareAuth(
  ctx: NodeContext,
  store: Store,
  log: Logger,
): Promise<AuthService> {
  const { clock, paths, identity } = ctx;
  const auth = createAuthService({
    store,
    clock,
    logger: log,
    newId: (prefix) => newId(prefix),
    setupTokenFile: paths.setupToken,
  });
  await ensureLocalTokenFile(auth, paths.apiToken, log, identity.nodeId);
  await prepareSetupToken(store, paths.setupToken, log);
  return auth;
}
