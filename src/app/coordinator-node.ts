import type { AlertDelivery } from '../domain/alert.ts';
import { createIngestor } from '../cluster/coordinator/ingest.ts';
import { createAgentHub } from '../cluster/coordinator/agent-hub.ts';
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
import { openCoordinatorDatabase } from './coordinator-database.ts';
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
import type { NodeContext, RunningNode } from './node-context.ts';
import { listenOrExplain, readPem, writeDaemonInfo } from './node-context.ts';
import { VERSION } from '../config/version.ts';
import { loadPeerTls, peerListenError, revocationList } from './coordinator-peer-tls.ts';

/** Composition root of the coordinator: store, checks, ingest, alerts, cluster, API. */
export async function startCoordinator(ctx: NodeContext): Promise<RunningNode> {
  const { config, identity, clock, paths, cleanups } = ctx;
  const nodeId = identity.nodeId;
  const log = ctx.logger.child({ nodeId });
  const database = await openCoordinatorDatabase(ctx, log);
  const { store } = database;
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
  const startedAt = clock.now();

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
    ...(ctx.checkThreadsAllowed ? { threads: config.checkThreads } : {}),
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
  await listenOrExplain(api, config.api, '--api-listen');
  cleanups.push(() => api.close());
  const publicUrl = await statusPages.listenPublic();
  cleanups.push(() => statusPages.close());
  try {
    boundPort = (await peer.listen(listen.host, listen.port)).port;
  } catch (error) {
    throw peerListenError(error, formatHostPort(listen.host, listen.port));
  }
  // Agents can reach us from now on: every node's grace period to reconnect starts here.
  const peerListeningSince = clock.now();
  cleanups.push(() => peer.close());
  alerting.start();
  engine.start();
  membership.start(peerListeningSince);
  consensus.start();
  const apiUrl = writeDaemonInfo(paths, api, config.api, {
    nodeId,
    startedAt,
    peerAddress: formatHostPort(listen.host, boundPort),
  });
  const housekeeping = startHousekeeping({
    store,
    clock,
    logger: log,
    retention: config.retention,
    rawWindow,
    passes: await database.passes,
  });
  cleanups.push(() => housekeeping.close());
  log.info(
    {
      apiUrl,
      ...(publicUrl === null ? {} : { publicUrl }),
      peerAddress: formatHostPort(listen.host, boundPort),
      dataDir: config.dataDir,
      monitors: engine.monitors.size,
      version: VERSION,
    },
    'crosscheck coordinator started',
  );

  async function stop(): Promise<void> {
    log.info('shutting down');
    configWatch?.stop();
    await api.close();
    await statusPages.close();
    membership.stop();
    hub.close();
    await peer.close();
    await engine.stop();
    push.stop();
    await consensus.stop();
    await ingestor.stop();
    await alerting.stop();
    await housekeeping.stop();
    await housekeeping
      .runOnce()
      .catch((error: unknown) => log.error({ err: error }, 'final rollup failed'));
    await housekeeping.close();
    await store.close();
    await database.unlock();
  }
  return { nodeId, apiUrl, role: 'coordinator', stop };
}
