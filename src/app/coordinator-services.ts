import type { LeaderPublisher } from './leader-publisher.ts';
import type { Ingestor } from '../cluster/coordinator/ingest.ts';
import type { MaintenanceCalendar } from '../cluster/coordinator/maintenance-calendar.ts';
import { createConfigService, type ConfigService } from '../config-file/config-service.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { Logger } from '../observability/logger.ts';
import type { OperationServices } from '../operations/services.ts';
import { createAlertLogService } from '../services/alert-log-service.ts';
import type { AuthService } from '../services/auth/auth-service.ts';
import type { MonitorChangeSink } from '../services/events.ts';
import type { HealthService } from '../services/health-service.ts';
import { createIncidentService } from '../services/incident-service.ts';
import { createMaintenanceService } from '../services/maintenance-service.ts';
import { createMonitorService } from '../services/monitors/monitor-service.ts';
import { createQueryService } from '../services/status-service.ts';
import type { Store } from '../store/types.ts';
import type { CoordinatorAlerting } from './coordinator-alerting.ts';
import type { CoordinatorCluster } from './coordinator-cluster.ts';
import type { CoordinatorEvents } from './coordinator-events.ts';
import type { CoordinatorOverview } from './coordinator-overview.ts';
import {
  createCoordinatorStatusPages,
  type CoordinatorStatusPages,
} from './coordinator-status-pages.ts';

export interface CoordinatorServicesDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  publicListen: { host: string; port: number } | null;
  /** Where monitor writes are published; the node applies them to its running parts. */
  changes: MonitorChangeSink;
  /** The running monitor set (the check engine's). */
  monitors: () => Iterable<Monitor>;
  /**
   * Runtime states: the leader's come from ingest's memory; a follower reads the store, where
   * the leader writes them.
   */
  ingestor: Pick<Ingestor, 'state'>;
  leading: boolean;
  /** Announces to other coordinators what this one's live views were told. */
  publisher: Pick<
    LeaderPublisher,
    'incidentUpdatePosted' | 'maintenanceChanged' | 'alertingChanged'
  >;
  overview: CoordinatorOverview;
  events: CoordinatorEvents;
  calendar: MaintenanceCalendar;
  alerting: CoordinatorAlerting;
  cluster: CoordinatorCluster['service'];
  probe: CoordinatorCluster['probe'];
  auth: AuthService;
  health: HealthService;
}

/** The coordinator's verbs and the parts of them the node also serves or starts itself. */
export interface CoordinatorServices {
  operations: OperationServices;
  /** Its public listener is started and closed by the node. */
  statusPages: CoordinatorStatusPages;
  /** Applied by the `--config` file watch too. */
  config: ConfigService;
}

/**
 * The operation services of a running coordinator, what REST, MCP and the CLI call: each over
 * the store and the in-memory parts (monitor set, live states, overview, maintenance calendar,
 * alerting) that it reads or must keep current after a write.
 */
export async function createCoordinatorServices(
  deps: CoordinatorServicesDeps,
): Promise<CoordinatorServices> {
  const { store, clock, changes, overview, calendar, alerting } = deps;
  const monitorService = createMonitorService({
    store,
    clock,
    changes,
    newId: () => newId('mon'),
    materializeRoutes: (routes, at) => alerting.targets.materializeRoutes(routes, at),
  });
  const liveStates = async (ids: readonly string[]) =>
    deps.leading
      ? new Map(ids.map((id) => [id, deps.ingestor.state(id)]))
      : new Map((await store.statesOf(ids)).map((state) => [state.monitorId, state]));
  const queries = createQueryService({
    store,
    clock,
    states: liveStates,
    monitors: deps.monitors,
    overviewIndex: overview.index,
    overviewBars: overview.bars,
    overviewUptime: overview.uptime,
  });
  const statusPages = await createCoordinatorStatusPages({
    store,
    clock,
    states: liveStates,
    logger: deps.logger,
    publicListen: deps.publicListen,
    onUpdateAdded: (update, monitorId) => {
      deps.events.sources.incidentUpdatePosted(update, monitorId);
      deps.publisher.incidentUpdatePosted(update, monitorId);
    },
  });
  const maintenanceChanged = () => {
    // Time in a window is left out of uptime, past days' bars included.
    overview.maintenanceChanged();
    deps.publisher.maintenanceChanged();
    return calendar.reload();
  };
  const configService = createConfigService({
    store,
    clock,
    changes,
    newId,
    onAlertingChanged: () => {
      alerting.reloadRouting();
      deps.publisher.alertingChanged();
    },
    onMaintenanceChanged: maintenanceChanged,
    onStatusPagesChanged: () => statusPages.pages.pagesChanged(),
  });
  const operations: OperationServices = {
    monitors: monitorService,
    queries,
    health: deps.health,
    alerts: createAlertLogService({ store, clock }),
    clock,
    cluster: deps.cluster,
    probe: deps.probe,
    auth: deps.auth,
    incidents: createIncidentService({ store, clock }),
    alertTargets: alerting.targets,
    maintenance: createMaintenanceService({
      store,
      clock,
      newId: () => newId('mw'),
      onChange: maintenanceChanged,
    }),
    statusPages: statusPages.statusPages,
    config: configService,
    incidentUpdates: statusPages.incidentUpdates,
    unavailableReason: 'this coordinator does not serve that operation',
  };
  return { operations, statusPages, config: configService };
}
