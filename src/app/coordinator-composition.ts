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
import { buildApiPlane } from './coordinator-api-plane.ts';
import type {
  CoordinatorComposition,
  CoordinatorPlane,
  CoordinatorShared,
} from './coordinator-plane.ts';
import { startFollowerSync } from './follower-sync.ts';
import { createLeaderPublisher, publishingChangeSink } from './leader-publisher.ts';
import { startConfigFileWatch } from './config-file-watch.ts';
import { loadMaintenanceCalendar } from '../cluster/coordinator/maintenance-calendar.ts';
import { createCheckEngine } from './check-engine.ts';
import { createPushTracker } from './coordinator-push.ts';
import { runCheck as registryRunCheck } from '../agent/check-runner.ts';
import { createCoordinatorAlerting } from './coordinator-alerting.ts';
import { createCoordinatorCluster } from './coordinator-cluster.ts';
import { createCoordinatorConsensus } from './coordinator-consensus.ts';
import { createCoordinatorEvents } from './coordinator-events.ts';
import { createCoordinatorMetrics } from './coordinator-metrics.ts';
import { startLeaderPlane, stopLeaderParts } from './coordinator-leader-plane.ts';
import type { RunningLeaderPlane } from './coordinator-leader-plane.ts';
import { createRawWindowKeeper } from './storage-budget.ts';
import type { NodeContext } from './node-context.ts';
import { listenOrExplain, readPem, undoStart, writeDaemonInfo } from './node-context.ts';
import { VERSION } from '../config/version.ts';
import { loadPeerTls, peerListenError, revocationList } from './coordinator-peer-tls.ts';

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
  await ensureLocalTokenFile(auth, paths.apiToken, nodeId, log);
  await prepareSetupToken(store, paths.setupToken, log);

  const calendar = await loadMaintenanceCalendar(store);
  // What this coordinator's live views are told, announced to the others (ADR 0012).
  const publisher = createLeaderPublisher(shared.bus);
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
      publisher.alertDecided(delivery, update, clock.now());
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
      publisher.batchCommitted(batch);
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
      publisher.nodeTransition(transition);
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

  // Changes made here are applied here and announced; announced ones are only applied.
  const localChanges = createMonitorChangeBus();
  const changes = publishingChangeSink(localChanges, shared.bus);
  const coordinatorCluster = await createCoordinatorCluster({
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

  const { api, forward, statusPages, configService } = await buildApiPlane({
    ctx,
    shared,
    plane,
    rawWindow,
    engine,
    ingestor,
    consensus,
    peerAddress: () => formatHostPort(listen.host, boundPort),
    changes,
    overview,
    events,
    calendar,
    alerting,
    cluster: coordinatorCluster,
    auth,
    metrics,
    publisher,
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
    onJoin: (request, remote) => coordinatorCluster.service.enrol(request, remote),
    onCaKeyRequest: (asker) => coordinatorCluster.service.handOverCaKey(asker),
    onChannel: (identityOfPeer, socket, remote) => hub.accept(identityOfPeer, socket, remote),
    isRevoked: coordinatorCluster.isRevoked,
  });

  localChanges.subscribe((change) => {
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
  // What the other coordinators announce, applied here (on SQLite nothing ever arrives).
  const sync = startFollowerSync({
    bus: shared.bus,
    store,
    overview,
    events: events.sources,
    changes: localChanges,
    monitors: () => engine.monitors.values(),
    maintenanceChanged: () => calendar.reload(),
    now: () => clock.now(),
    logger: log,
  });
  cleanups.push(() => sync.stop());
  const leaderParts = { alerting, engine, membership, consensus, ingestor, push };
  let leaderPlane: RunningLeaderPlane | null = null;
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
      const started = await startLeaderPlane(leaderParts, {
        ctx,
        database,
        rawWindow,
        log,
        // Agents can reach us from now on: every node's grace period to reconnect starts here.
        peerListeningSince: clock.now(),
      });
      leaderPlane = started;
      cleanups.push(() => started.close());
    }
  } catch (error) {
    await undoStart(cleanups, log);
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
    sync.stop();
    await api.close();
    await statusPages.close();
    // Judging no node missing while its channel is closed below.
    membership.stop();
    // Agents move to the next leader at once instead of waiting to reconnect here.
    if (plane.leading && shared.shared) await hub.redirectAll(null);
    hub.close();
    await peer.close();
    if (leaderPlane === null) await stopLeaderParts(leaderParts);
    else await leaderPlane.stop();
  }
  return { apiUrl, peerAddress, stop };
}
