import type { LeaseHolder } from '../domain/node.ts';
import type { AlertDelivery } from '../domain/alert.ts';
import { createIngestor } from '../cluster/coordinator/ingest.ts';
import { createAgentHub } from '../cluster/coordinator/agent-hub.ts';
import { recordCoordinatorAddress } from '../cluster/coordinator-addresses.ts';
import { advertisedPeerAddress } from './advertised-address.ts';
import { createMembershipTracker } from '../cluster/coordinator/membership-tracker.ts';
import { createPeerServer } from '../cluster/peer/peer-server.ts';
import { formatHostPort } from '../cluster/pki/tls-options.ts';
import { parseListenAddress } from '../config/node-config.ts';
import { newId } from '../lib/ids.ts';
import { alertOutcome, suppressedAtCreation } from '../observability/cluster-metrics.ts';
import { createAuthService } from '../services/auth/auth-service.ts';
import { ensureLocalTokenFile } from '../services/auth/local-token.ts';
import { prepareSetupToken } from '../services/auth/setup-token.ts';
import { createMonitorChangeBus } from '../services/events.ts';
import { createCoordinatorOverview } from './coordinator-overview.ts';
import { startConfigFileWatch } from './config-file-watch.ts';
import { loadMaintenanceCalendar } from '../cluster/coordinator/maintenance-calendar.ts';
import type { CoordinatorDatabase } from './coordinator-database.ts';
import type { Logger } from '../observability/logger.ts';
import { createCheckEngine } from './check-engine.ts';
import { createPushTracker } from './coordinator-push.ts';
import { runCheck as registryRunCheck } from '../agent/check-runner.ts';
import { createCoordinatorAlerting } from './coordinator-alerting.ts';
import { createCoordinatorCluster } from './coordinator-cluster.ts';
import { createCoordinatorConsensus } from './coordinator-consensus.ts';
import { buildCoordinatorApi } from './coordinator-api.ts';
import { dashboardDir } from './dashboard-build.ts';
import { createCoordinatorEvents } from './coordinator-events.ts';
import { createCoordinatorMetrics } from './coordinator-metrics.ts';
import { createCoordinatorHealth } from './coordinator-health.ts';
import { createCoordinatorServices } from './coordinator-services.ts';
import { startHousekeeping } from './housekeeping.ts';
import { createRawWindowKeeper } from './storage-budget.ts';
import type { NodeContext } from './node-context.ts';
import { listenOrExplain, readPem, writeDaemonInfo } from './node-context.ts';
import { VERSION } from '../config/version.ts';
import { loadPeerTls, peerListenError, revocationList } from './coordinator-peer-tls.ts';

/** Which planes a composition runs: every coordinator serves the API; the lease holder leads. */
export type CoordinatorPlane = { leading: true; epoch: number } | { leading: false };

/** What outlives a composition: the database, the process's logger, the start time. */
export interface CoordinatorShared {
  database: CoordinatorDatabase;
  log: Logger;
  startedAt: number;
  /** Who holds the leader lease now, for `node list` and `health`. */
  leaseHolder: () => Promise<LeaseHolder | null>;
  /** The dispatcher's last question before a send: does this coordinator still lead? */
  stillLeading: () => Promise<boolean>;
  /** The leader as the lease last saw it: where a follower sends agents. */
  leader: () => { nodeId: string; address: string | null } | null;
  /** Several coordinators may share the database (PostgreSQL): a stopping leader sends agents on. */
  shared: boolean;
}

/** One running composition of the coordinator, replaced whole when the lease changes hands. */
export interface CoordinatorComposition {
  apiUrl: string;
  /** The peer port as bound (host:port), where agents and joining nodes reach this coordinator. */
  peerAddress: string;
  stop(): Promise<void>;
}

/**
 * Composition root of the coordinator: store, checks, ingest, alerts, cluster, API. Built whole
 * for one plane (ADR 0012): a follower builds the same parts so its API answers the same, but
 * starts none of the leader's (own checks, membership judgement, rounds, alert dispatch,
 * housekeeping) and turns agents away; a new leader builds everything afresh from the database.
 */
export async function composeCoordinator(
  ctx: NodeContext,
  shared: CoordinatorShared,
  plane: CoordinatorPlane,
): Promise<CoordinatorComposition> {
  const { config, identity, clock, paths } = ctx;
  const nodeId = identity.nodeId;
  const { database, log, startedAt } = shared;
  const { store } = database;
  /** What this composition must undo if its own start fails part way. */
  const cleanups: (() => Promise<void> | void)[] = [];
  const rawWindow = createRawWindowKeeper({
    budgetBytes: config.storageBudgetBytes,
    retention: config.retention,
    logger: log,
  });
  const auth = createAuthService({
    store,
    clock,
    logger: log,
    newId: (prefix) => newId(prefix),
    setupTokenFile: paths.setupToken,
  });
  await ensureLocalTokenFile(auth, paths.apiToken, log);
  await prepareSetupToken(store, paths.setupToken, log);

  const calendar = await loadMaintenanceCalendar(store);
  const alerting = await createCoordinatorAlerting({
    inMaintenance: calendar.inMaintenance,
    store,
    clock,
    logger: log,
    monitors: () => engine.monitors,
    flapping: (monitorId) => ingestor.state(monitorId).flappingSince !== null,
    decide: (decision) => ingestor.decide(decision),
    onRecorded: (delivery, update) => {
      clusterMetrics.observeAlert(alertOutcome(update), update.reason ?? delivery.reason);
      events.sources.alertDecided(delivery, update, clock.now());
    },
    allowedCommands: identity.alertCommands ?? [],
    publicUrl: config.publicUrl,
    beforeSend: shared.stillLeading,
  });
  const dispatcher = alerting.dispatcher;
  // Alerts written outside ingest (node alerts, round outcomes): count suppressions, then send.
  const alertsCreated = (alerts: readonly AlertDelivery[]) => {
    for (const alert of suppressedAtCreation(alerts))
      clusterMetrics.observeAlert('suppressed', alert.reason);
    dispatcher.kick();
  };
  const {
    node: metrics,
    monitors: monitorMetrics,
    cluster: clusterMetrics,
  } = createCoordinatorMetrics({
    nodeId,
    store,
    clock,
    storage: () => rawWindow.view(),
    databaseBytes: database.bytes,
    engine: () => engine,
    ingestor: () => ingestor,
    membership: () => membership,
    consensus: () => consensus,
    hub: () => hub,
  });
  const ingestor = createIngestor({
    store,
    clock,
    logger: log,
    lookupMonitor: (id) => engine.monitors.get(id),
    flushIntervalMs: config.flushIntervalMs,
    onAccepted: (result) => {
      monitorMetrics.observeResult(result.monitorId, result.status, result.latencyMs);
      consensus.runner.observeResult(result);
    },
    onCommitted: ({ results, alerts }) => {
      metrics.observeCommit(results, alerts);
      if (alerts > 0) dispatcher.kick();
    },
    onBatchCommitted: (batch) => {
      for (const alert of suppressedAtCreation(batch.alerts))
        clusterMetrics.observeAlert('suppressed', alert.reason);
      // Before the events go out, so a client refetching on one reads what it announced.
      overview.batchCommitted(batch);
      events.sources.batchCommitted(batch, clock.now());
    },
  });
  await ingestor.load();

  // Push monitors are judged here from their pings, by the same engine and consensus.
  const push = await createPushTracker({
    store,
    clock,
    logger: log,
    monitors: () => engine.monitors,
    runNow: (id) => engine.runNow(id),
  });
  const runCheck = push.runner(ctx.runCheck ?? registryRunCheck);
  // This node is a vantage point like any agent: its results are stored and feed its own
  // hysteresis, whose signals start confirmation rounds like an agent's would.
  const engine = createCheckEngine({
    coordinator: true,
    clock,
    logger: log,
    concurrency: config.concurrency,
    nodeId,
    placement: identity,
    onResult: (result) => consensus.onOwnResult(result),
    observeCheck: (type, status, latency, lag) => metrics.observeCheck(type, status, latency, lag),
    judgeResult: (monitor, result, checkedAt) =>
      consensus.vantage.judge(monitor, result, checkedAt),
    runCheck,
    // A follower never starts its engine: it keeps the monitor set for the API, nothing more.
    ...(ctx.checkThreadsAllowed && plane.leading ? { threads: config.checkThreads } : {}),
  });
  engine.replaceAll(await store.listMonitors());
  const startStates = await store.listStates();
  const events = createCoordinatorEvents({
    clock,
    monitors: engine.monitors.values(),
    states: startStates,
  });
  // The dashboard overview's rows, kept current from the same facts the events come from.
  const overview = createCoordinatorOverview({
    store,
    now: () => clock.now(),
    logger: log,
    monitors: engine.monitors.values(),
    states: startStates,
  });

  const membership = createMembershipTracker({
    inMaintenance: calendar.inMaintenance,
    store,
    clock,
    logger: log,
    policy: { heartbeatMs: config.heartbeatMs, graceCount: config.graceCount },
    selfId: nodeId,
    newId: (prefix) => newId(prefix),
    routing: () => alerting.routing(),
    onAlerts: alertsCreated,
    onTransition: (transition) => {
      clusterMetrics.observeTransition(transition.to);
      events.sources.nodeTransition(transition);
    },
  });
  await membership.load();
  const consensus = await createCoordinatorConsensus({
    inMaintenance: calendar.inMaintenance,
    store,
    clock,
    logger: log,
    selfId: nodeId,
    canaries: identity.canaries ?? [],
    runCheck,
    monitors: () => engine.monitors,
    ingestor,
    membership,
    hub: () => hub,
    heartbeatMs: config.heartbeatMs,
    routing: () => alerting.routing(),
    onAlerts: alertsCreated,
    onRoundDecided: (round) => clusterMetrics.observeRound(round),
    grouping: config.grouping,
  });
  await store.updateNodeStatus(nodeId, { lastSeen: clock.now(), version: VERSION });

  const tls = loadPeerTls(paths);
  const ca = { certPem: tls.caCertPem, keyPem: readPem(paths.caKey, 'CA key') };
  const listen =
    config.peerListen ??
    parseListenAddress(identity.peer?.listen ?? '0.0.0.0:7433', 'node.json peer.listen');
  let boundPort = listen.port;

  const changes = createMonitorChangeBus();
  const {
    service: cluster,
    isRevoked,
    probe,
  } = await createCoordinatorCluster({
    store,
    clock,
    logger: log,
    nodeId,
    identity,
    tls,
    ca,
    peerAddress: () => ({ host: listen.host, port: boundPort }),
    auth,
    alerting,
    membership,
    consensus,
    hub: () => hub,
    peer: () => peer,
    onNodeRemoved: () => clusterMetrics.observeTransition('removed'),
    leading: plane.leading,
    leaseHolder: shared.leaseHolder,
  });

  const health = createCoordinatorHealth({
    store,
    clock,
    nodeId,
    name: identity.name,
    region: identity.region,
    dataDir: config.dataDir,
    databasePath: database.label,
    startedAt,
    engine,
    ingestor,
    consensus,
    peerAddress: () => formatHostPort(listen.host, boundPort),
    storage: () => rawWindow.view(),
    leading: plane.leading,
    leaseHolder: shared.leaseHolder,
  });
  const services = await createCoordinatorServices({
    store,
    clock,
    logger: log,
    publicListen: config.publicListen,
    changes,
    monitors: () => engine.monitors.values(),
    ingestor,
    overview,
    events,
    calendar,
    alerting,
    cluster,
    probe,
    auth,
    health,
  });
  const { statusPages, config: configService } = services;
  const { api, forward } = buildCoordinatorApi({
    services: { ...services.operations, auth },
    metrics,
    logger: log,
    events,
    dashboardDir: await dashboardDir(log),
    statusPages,
    recordPing: (token, ping) => push.ping(token, ping),
  });

  const hub = createAgentHub({
    store,
    clock,
    logger: log,
    membership,
    heartbeatMs: config.heartbeatMs,
    graceCount: config.graceCount,
    monitors: () => engine.monitors.values(),
    forwardApi: forward,
    storeResults: (results) => ingestor.submitAndWait(results),
    consensus: consensus.sink,
    onProbeResult: (peerId, probeId, evidence) =>
      consensus.onProbeResult(peerId, probeId, evidence),
    onResultsStored: (count) => {
      metrics.observeCommit(count, 0);
      clusterMetrics.observeAgentResults(count);
    },
    // Ingest is the leader's: a follower answers an agent with where the leader is.
    leadership: () =>
      plane.leading
        ? { leading: true, leaderAddress: null }
        : { leading: false, leaderAddress: shared.leader()?.address ?? null },
  });
  const crlPem = await revocationList(ca, store, clock.now());
  const peer = createPeerServer({
    tls: crlPem === undefined ? tls : { ...tls, crlPem },
    logger: log,
    onJoin: (request, remote) => cluster.enrol(request, remote),
    onChannel: (identityOfPeer, socket, remote) => hub.accept(identityOfPeer, socket, remote),
    isRevoked,
  });

  changes.subscribe((change) => {
    overview.monitorChanged(change);
    events.sources.monitorChanged(change, clock.now());
    push.monitorChanged(change);
    if (change.type === 'removed') {
      engine.remove(change.id);
      ingestor.forget(change.id);
      consensus.vantage.forget(change.id);
      consensus.runner.monitorRemoved(change.id);
    } else {
      engine.upsert(change.monitor);
    }
    hub.monitorChanged(change);
  });

  const configWatch =
    ctx.configFile === undefined
      ? undefined
      : await startConfigFileWatch({
          ...ctx.configFile,
          apply: (file, options) => configService.apply(file, options),
          logger: log,
        });
  if (configWatch !== undefined) cleanups.push(() => configWatch.stop());
  let housekeeping: ReturnType<typeof startHousekeeping> | null = null;
  let publicUrl: string | null;
  try {
    await listenOrExplain(api, config.api, '--api-listen');
    cleanups.push(() => api.close());
    publicUrl = await statusPages.listenPublic();
    cleanups.push(() => statusPages.close());
    try {
      boundPort = (await peer.listen(listen.host, listen.port)).port;
    } catch (error) {
      throw peerListenError(error, formatHostPort(listen.host, listen.port));
    }
    cleanups.push(() => peer.close());
    // Recorded so every agent learns where this coordinator is (join tokens, welcomes).
    const advertised = advertisedPeerAddress(identity, { host: listen.host, port: boundPort });
    if (advertised !== null) await recordCoordinatorAddress(store, nodeId, advertised);
    if (plane.leading) {
      // Agents can reach us from now on: every node's grace period to reconnect starts here.
      const peerListeningSince = clock.now();
      alerting.start();
      engine.start();
      membership.start(peerListeningSince);
      consensus.start();
      const started = startHousekeeping({
        store,
        clock,
        logger: log,
        retention: config.retention,
        rawWindow,
        passes: await database.passes,
      });
      housekeeping = started;
      cleanups.push(() => started.close());
    }
  } catch (error) {
    await undo(cleanups, log);
    throw error;
  }
  const peerAddress = formatHostPort(listen.host, boundPort);
  const apiUrl = writeDaemonInfo(paths, api, config.api, { nodeId, startedAt, peerAddress });
  log.info(
    {
      apiUrl,
      ...(publicUrl === null ? {} : { publicUrl }),
      peerAddress,
      dataDir: config.dataDir,
      monitors: engine.monitors.size,
      version: VERSION,
      ...(plane.leading ? { leading: true, epoch: plane.epoch } : { leading: false }),
    },
    plane.leading
      ? 'crosscheck coordinator started, leading'
      : 'crosscheck coordinator started, following',
  );

  async function stop(): Promise<void> {
    log.info({ leading: plane.leading }, 'stopping the coordinator’s planes');
    configWatch?.stop();
    await api.close();
    await statusPages.close();
    membership.stop();
    // Agents move to the next leader at once instead of waiting to reconnect here.
    if (plane.leading && shared.shared) await hub.redirectAll(null);
    hub.close();
    await peer.close();
    await engine.stop();
    push.stop();
    await consensus.stop();
    await ingestor.stop();
    await alerting.stop();
    if (housekeeping !== null) {
      await housekeeping.stop();
      await housekeeping
        .runOnce()
        .catch((error: unknown) => log.error({ err: error }, 'final rollup failed'));
      await housekeeping.close();
    }
  }
  return { apiUrl, peerAddress, stop };
}

/** Undoes a composition's start that failed part way, newest first; each failure is logged. */
async function undo(cleanups: (() => Promise<void> | void)[], log: Logger): Promise<void> {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      log.error({ err: error }, 'undoing a failed coordinator start failed');
    }
  }
}
