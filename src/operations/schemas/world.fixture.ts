import type { AlertDelivery } from '../../domain/alert.ts';
import type { VoteEvidence } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { ClusterNode } from '../../domain/node.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { silentLogger } from '../../observability/logger.ts';
import { createAlertLogService } from '../../services/alert-log-service.ts';
import { createAlertTargetService } from '../../services/alert-targets/target-service.ts';
import { createAuthService } from '../../services/auth/auth-service.ts';
import { createConfigService } from '../../config-file/config-service.ts';
import { createClusterService } from '../../services/cluster/cluster-service.ts';
import { createMonitorChangeBus } from '../../services/events.ts';
import { createHealthService } from '../../services/health-service.ts';
import { createIncidentService } from '../../services/incident-service.ts';
import { createMaintenanceService } from '../../services/maintenance-service.ts';
import { createIncidentUpdateService } from '../../services/status-pages/incident-update-service.ts';
import { createStatusPageService } from '../../services/status-pages/status-page-service.ts';
import { createMonitorService } from '../../services/monitors/monitor-service.ts';
import { createProbeService } from '../../services/probe-service.ts';
import { createQueryService, storeStateSource } from '../../services/status-service.ts';
import { makeRound, makeVote } from '../../store/contract/consensus-fixtures.ts';
import { batch, makeDelivery, makeResult, makeState } from '../../store/contract/fixtures.ts';
import type { Store } from '../../store/types.ts';
import type { FakeClock } from '../../../test/helpers/fake-clock.ts';
import type { OperationServices } from '../services.ts';
import type { HealthShape } from './world-health.fixture.ts';
import { healthDeps } from './world-health.fixture.ts';

export type { HealthShape } from './world-health.fixture.ts';

// A store filled with one of everything operations show (monitors, results, an open regional
// incident with its rounds, alert deliveries with attempts, nodes with events), and the real
// services over it, so output schemas are checked against what the code really returns.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const SECRET = '0123456789abcdef-secret';

function clusterNode(
  id: string,
  name: string,
  region: string | null,
  now: number,
  role: ClusterNode['role'] = 'agent',
): ClusterNode {
  return {
    id,
    name,
    role,
    region,
    labels: { isp: 'a' },
    version: 'test',
    certSerial: `serial-${id}`,
    certNotAfter: now + 365 * 24 * HOUR,
    enrolledAt: now,
    lastSeen: now,
    state: 'online',
    stateSince: now,
    clockOffsetMs: 1.5,
    checksPerSecond: 0.25,
    outboxBacklog: 0,
    remoteAddress: '127.0.0.1',
    removedAt: null,
    impairedSince: null,
  };
}

function nodeAlert(id: string, node: ClusterNode, at: number): AlertDelivery {
  return {
    ...makeDelivery(id, 'unused'),
    monitorId: null,
    incidentId: null,
    nodeId: node.id,
    event: {
      kind: 'node-missing',
      idempotencyKey: `node:${node.id}:${id}:missing`,
      node: { id: node.id, name: node.name, region: node.region },
      from: 'online',
      to: 'missing',
      message: `${node.name} is missing`,
      occurredAt: at,
    },
    createdAt: at,
  };
}

const UP: VoteEvidence = {
  status: 'up',
  latencyMs: 12.5,
  errorKind: null,
  message: 'HTTP 200 in 12 ms',
  timings: { dnsMs: 1, connectMs: 2, firstByteMs: 9.5 },
  checkedAt: 1,
};

/** Fills the store with nodes, results, an open regional incident, rounds and alerts of `monitor`. */
async function fill(store: Store, clock: FakeClock, monitor: Monitor): Promise<void> {
  const now = clock.now();
  const started = now - 30 * MINUTE;
  const nyc = clusterNode('n-nyc', 'nyc-1', 'us-east', now - HOUR);
  await store.insertNode(clusterNode('n-coord', 'coord', 'eu-west', now - HOUR, 'coordinator'));
  await store.insertNode(clusterNode('n-fra', 'fra-1', 'eu-west', now - HOUR));
  await store.insertNode(nyc);
  await store.insertNode(clusterNode('n-spare', 'spare', null, now - HOUR));
  const result = (nodeId: string, at: number, status: 'up' | 'down' | 'degraded' | 'error') => ({
    ...makeResult(monitor.id, at, status),
    nodeId,
  });
  const regional = makeRound('r-regional', monitor.id, started + MINUTE, {
    incidentId: 'inc-1',
    verdict: 'regional',
    regions: ['us-east'],
    votes: [
      makeVote('n-nyc', 'fail', { nodeName: 'nyc-1', region: 'us-east' }),
      makeVote('n-fra', 'ok', { nodeName: 'fra-1' }),
      makeVote('n-coord', 'no-answer', { nodeName: 'coord' }),
      makeVote('n-spare', 'fail', { nodeName: 'spare', region: null, setAside: 'canaries' }),
      makeVote('n-late', 'ok', { late: true }),
    ],
  });
  const local = makeRound('r-local', monitor.id, now - 5 * MINUTE, {
    votes: [makeVote('n-fra', 'fail', { nodeName: 'fra-1' }), makeVote('n-coord', 'ok')],
  });
  await store.commitBatch(
    batch({
      results: [
        result('n-fra', now - 4 * MINUTE, 'up'),
        result('n-fra', now - 3 * MINUTE, 'degraded'),
        result('n-fra', now - 2 * MINUTE, 'error'),
        result('n-nyc', now - MINUTE, 'down'),
      ],
      states: [
        makeState(monitor.id, {
          status: 'regional',
          openIncident: {
            id: 'inc-1',
            startedAt: started,
            verdict: 'regional',
            regions: ['us-east'],
            openedAt: started + MINUTE,
            confirmedBy: ['n-nyc'],
            pages: {},
          },
          verdict: 'regional',
          verdictAt: started + MINUTE,
          failingRegions: ['us-east'],
          failingNodes: ['n-nyc'],
          lastNodeId: 'n-nyc',
          lastResultStatus: 'down',
          lastCheckedAt: now - MINUTE,
        }),
      ],
      incidentsOpened: [
        {
          id: 'inc-1',
          monitorId: monitor.id,
          status: 'open',
          startedAt: started,
          openedAt: started + MINUTE,
          endedAt: null,
          resolvedAt: null,
          durationMs: null,
          errorKind: 'refused',
          cause: 'connection refused',
          verdict: 'regional',
          regions: ['us-east'],
          retractedAt: null,
          retraction: null,
          acknowledgement: { at: started + 2 * MINUTE, by: 'alice', note: 'on it' },
          maintenance: { id: 'mw-1', name: 'nightly' },
          causedBy: null,
          groupId: 'grp-1',
        },
      ],
      grouping: {
        groups: [
          {
            id: 'grp-1',
            cause: { kind: 'region', value: 'us-east' },
            verdict: 'regional',
            regions: ['us-east'],
            state: 'paged',
            openedAt: started + MINUTE,
            decideBy: started + MINUTE + 30_000,
            pagedAt: started + MINUTE + 5_000,
            lastJoinAt: started + MINUTE,
            closedAt: null,
            pagedRoutes: ['ops'],
          },
        ],
        joined: [],
        released: [],
        alerts: [],
        followUps: [],
      },
      rounds: [regional, local],
      alerts: [
        makeDelivery('d-retrying', monitor.id, { createdAt: started + MINUTE }),
        makeDelivery('d-sent', monitor.id, { createdAt: started + 2 * MINUTE }),
        makeDelivery('d-held', monitor.id, {
          status: 'suppressed',
          reason: 'within-cooldown',
          createdAt: started + 3 * MINUTE,
        }),
      ],
    }),
  );
  const update = { nextAttemptAt: now + MINUTE, sentAt: null };
  await store.updateAlertDelivery(
    'd-retrying',
    { ...update, status: 'pending', attempts: 1, lastError: 'webhook answered 503' },
    { attempt: 1, at: started + MINUTE, outcome: 'retry', error: 'busy', httpStatus: 503 },
  );
  await store.updateAlertDelivery(
    'd-sent',
    { ...update, status: 'sent', attempts: 1, lastError: null, sentAt: started + 2 * MINUTE },
    { attempt: 1, at: started + 2 * MINUTE, outcome: 'sent', error: null, httpStatus: null },
  );
  await store.applyNodeStateChanges(
    [{ eventId: 'nev-1', nodeId: nyc.id, from: 'online', to: 'grace', at: now - 2 * MINUTE }],
    [nodeAlert('d-node', nyc, now - 2 * MINUTE)],
  );
  await store.applyNodeHealthChange({
    eventId: 'nev-2',
    nodeId: nyc.id,
    impaired: true,
    at: now - MINUTE,
  });
  // Hour buckets, so views drawn from rollups (the overview's sparkline) have data.
  await store.rollup();
}

/** A TOTP secret enrolled (not yet confirmed) for the acting admin `u-1`. */
export const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** The acting admin (`u-1`, with a pending TOTP enrolment and a token) and a second person. */
async function fillUsers(store: Store, clock: FakeClock): Promise<void> {
  const person = {
    kind: 'person' as const,
    passwordHash: null,
    totpSecret: null,
    totpConfirmedAt: null,
    createdAt: clock.now(),
    disabledAt: null,
  };
  await store.insertUser({
    ...person,
    id: 'u-1',
    name: 'ada',
    role: 'admin',
    totpSecret: TOTP_SECRET,
  });
  await store.insertUser({ ...person, id: 'u-2', name: 'bob', role: 'editor' });
  await store.insertApiToken({
    id: 'tok-1',
    userId: 'u-1',
    name: 'ci',
    tokenHash: 'ab'.repeat(32),
    access: 'read',
    createdAt: clock.now(),
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
  });
}

/** The services of a coordinator over a filled store; `monitor` is the one with the data. */
export async function buildWorld(
  store: Store,
  clock: FakeClock,
  dir: string,
): Promise<{ monitor: Monitor; services: (health: HealthShape) => OperationServices }> {
  // As on a coordinator: inline routes (`--webhook URL`) become named targets.
  const alertTargets = createAlertTargetService({ store, clock, newId: () => newId('tgt') });
  const materializeRoutes = alertTargets.materializeRoutes.bind(alertTargets);
  const monitors = createMonitorService({
    store,
    clock,
    changes: createMonitorChangeBus(),
    newId: () => newId('mon'),
    materializeRoutes,
  });
  const monitor = await monitors.create({
    name: 'Shop',
    type: 'http',
    target: 'http://127.0.0.1:9/',
    group: 'prod',
    tags: ['web'],
    options: { headers: { authorization: 'Bearer token' } },
    alerts: [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:9/hook', secret: SECRET } }],
    regionalAlerts: [{ channel: 'webhook', settings: { url: 'http://127.0.0.1:9/regional' } }],
    consensus: { quorum: 'n_of_m', requiredFailures: 2 },
    nodes: { regions: ['eu-west', 'us-east'], labels: { isp: 'a' } },
  });
  await clock.advance(HOUR);
  await fill(store, clock, monitor);
  const cluster = createClusterService({
    store,
    clock,
    ca: { certPem: '', keyPem: '' },
    caFingerprint: 'ab'.repeat(32),
    self: { id: 'n-coord', name: 'coord' },
    joinAddress: () => '127.0.0.1:7433',
    newId: (prefix) => newId(prefix),
    live: (id) =>
      id === 'n-fra'
        ? { state: 'online', lastSeen: clock.now(), canaries: { total: 2, failing: 0 } }
        : { state: undefined, lastSeen: null },
    onEnrolled: () => undefined,
    onRemoved: () => Promise.resolve(),
    materializeRoutes,
  });
  const probe = createProbeService({
    clock,
    nodes: () => [
      { id: 'n-coord', name: 'coord', region: 'eu-west' },
      { id: 'n-fra', name: 'fra-1', region: 'eu-west' },
      { id: 'n-nyc', name: 'nyc-1', region: 'us-east' },
      { id: 'n-spare', name: 'spare', region: null },
    ],
    run: (nodeId) => {
      if (nodeId === 'n-coord') return Promise.resolve({ ...UP, checkedAt: clock.now() });
      if (nodeId === 'n-fra') return Promise.resolve(null);
      if (nodeId === 'n-nyc')
        return Promise.resolve({
          ...UP,
          status: 'down',
          errorKind: 'refused',
          message: 'connection refused',
          timings: {},
        });
      return Promise.reject(new AppError('UNAVAILABLE', 'the node went away'));
    },
  });
  const auth = createAuthService({ store, clock, logger: silentLogger(), newId });
  await fillUsers(store, clock);
  const common = {
    clock,
    auth,
    queries: createQueryService({ store, clock, states: storeStateSource(store) }),
    alerts: createAlertLogService({ store, clock }),
    monitors,
    cluster,
    probe,
    incidents: createIncidentService({ store, clock }),
    maintenance: createMaintenanceService({ store, clock, newId: () => newId('mw') }),
    statusPages: createStatusPageService({ store, clock, newId: () => newId('sp') }),
    incidentUpdates: createIncidentUpdateService({ store, clock, newId: () => newId('upd') }),
    alertTargets,
    config: createConfigService({
      store,
      clock,
      changes: createMonitorChangeBus(),
      newId,
    }),
    unavailableReason: 'not running',
  };
  return {
    monitor,
    services: (shape) => ({
      ...common,
      health: createHealthService(healthDeps(store, clock, dir, shape)),
    }),
  };
}
