import { buildAgentApiServer } from '../api/agent-server.ts';
import type { CachedConfig } from '../cluster/config-cache.ts';
import { readConfigCache, writeConfigCache } from '../cluster/config-cache.ts';
import { splitHostPort } from '../cluster/join-token.ts';
import { openOutbox } from '../cluster/outbox/outbox.ts';
import { createOutboxWriter } from '../cluster/outbox/outbox-writer.ts';
import type { ConfigMessage } from '../cluster/peer/coordinator-link.ts';
import { createCoordinatorLink } from '../cluster/peer/coordinator-link.ts';
import { createVantagePoint } from '../cluster/vantage/vantage-point.ts';
import { readOptionalFile } from '../config/data-dir.ts';
import { knownCoordinators, replaceCoordinatorAddresses } from '../config/node-identity.ts';
import type { Monitor } from '../domain/monitor.ts';
import { AppError } from '../lib/errors.ts';
import type { TimerHandle } from '../lib/clock.ts';
import { createNodeMetrics } from '../observability/metrics.ts';
import type { HealthView } from '../services/health-service.ts';
import { createCheckEngine } from './check-engine.ts';
import type { NodeContext, RunningNode } from './node-context.ts';
import {
  listenOrExplain,
  readOrCreateSecret,
  readPem,
  runtimeFigures,
  writeDaemonInfo,
} from './node-context.ts';
import { VERSION } from '../config/version.ts';

/** How often the cached config is rewritten at most (bulk edits arrive as many changes). */
const CACHE_WRITE_DELAY_MS = 1_000;

/** Composition root of an agent: checks → outbox → coordinator, config from the coordinator. */
export async function startAgentNode(ctx: NodeContext): Promise<RunningNode> {
  const { config, identity, clock, paths, cleanups } = ctx;
  const nodeId = identity.nodeId;
  const log = ctx.logger.child({ nodeId });
  if (ctx.configFile !== undefined)
    throw new AppError(
      'VALIDATION',
      '--config applies objects on the coordinator; run it there (this node is an agent)',
    );
  const coordinatorInfo = identity.coordinator;
  if (coordinatorInfo === undefined)
    throw new AppError('INTERNAL', `${paths.nodeIdentity}: an agent needs its coordinator address`);
  // The local CLI proves itself with this node's own token file; its calls then go to the
  // coordinator with the operator token issued at join (absent for nodes joined before it).
  const apiToken = readOrCreateSecret(paths.apiToken);
  const metricsToken = readOrCreateSecret(paths.metricsToken);
  const operatorToken = readOptionalFile(paths.operatorToken)?.trim() || undefined;
  if (operatorToken === undefined)
    log.warn(
      { file: paths.operatorToken },
      'no operator token: the coordinator will refuse this node’s forwarded CLI calls (join again to get one)',
    );
  const startedAt = clock.now();
  const outbox = openOutbox({
    file: paths.outbox,
    maxResults: config.outboxMaxResults,
    logger: log,
  });
  cleanups.push(() => outbox.close());

  let produced = 0;
  const writer = createOutboxWriter({
    outbox,
    clock,
    logger: log,
    flushIntervalMs: config.flushIntervalMs,
    onWritten: (count) => {
      produced += count;
      link.kick();
    },
  });

  const metrics = createNodeMetrics({
    scheduler: () => engine.stats(),
    outboxDepth: () => outbox.backlog() + writer.held(),
    outboxHeld: () => writer.held(),
    version: VERSION,
  });
  const engine = createCheckEngine({
    clock,
    logger: log,
    concurrency: config.concurrency,
    nodeId,
    placement: identity,
    onResult: (result) => {
      writer.add(result);
      const signal = vantage.observe(result);
      if (signal !== null) link.signal(signal);
    },
    observeCheck: (type, status, latency, lag) => metrics.observeCheck(type, status, latency, lag),
    judgeResult: (monitor, result, checkedAt) => vantage.judge(monitor, result, checkedAt),
    ...(ctx.runCheck === undefined ? {} : { runCheck: ctx.runCheck }),
    ...(ctx.checkThreadsAllowed ? { threads: config.checkThreads } : {}),
  });

  const vantage = createVantagePoint({
    clock,
    logger: log,
    nodeId,
    monitors: () => engine.monitors,
    canaries: identity.canaries ?? [],
    ...(ctx.runCheck === undefined ? {} : { runCheck: ctx.runCheck }),
  });

  let cached: CachedConfig | undefined;
  try {
    cached = readConfigCache(paths.configCache);
  } catch (error) {
    log.error({ err: error }, 'the cached config is unreadable; waiting for the coordinator');
  }
  if (cached) {
    engine.replaceAll(cached.monitors);
    log.info({ version: cached.version, monitors: cached.monitors.length }, 'using cached config');
  }
  let cacheTimer: TimerHandle | undefined;
  function saveCacheSoon(): void {
    cacheTimer ??= clock.setTimeout(saveCache, CACHE_WRITE_DELAY_MS);
  }
  function saveCache(): void {
    cacheTimer = undefined;
    if (cached === undefined) return;
    try {
      writeConfigCache(paths.configCache, cached);
    } catch (error) {
      log.error({ err: error }, 'writing the config cache failed');
    }
  }
  function applyConfig(message: ConfigMessage): void {
    if (message.type === 'config-snapshot') {
      const incoming = new Set(message.monitors.map((m) => m.id));
      for (const id of engine.monitors.keys()) if (!incoming.has(id)) vantage.forget(id);
      engine.replaceAll(message.monitors);
      cached = { version: message.version, monitors: message.monitors };
      log.info({ version: message.version, monitors: message.monitors.length }, 'config received');
    } else {
      const byId = new Map<string, Monitor>((cached?.monitors ?? []).map((m) => [m.id, m]));
      for (const id of message.removed) {
        engine.remove(id);
        vantage.forget(id);
        byId.delete(id);
      }
      for (const monitor of message.upserted) {
        engine.upsert(monitor);
        byId.set(monitor.id, monitor);
      }
      cached = { version: message.version, monitors: [...byId.values()] };
    }
    saveCacheSoon();
  }

  // Every coordinator this node knows: the first is dialed first, a follower names the leader.
  const [first = coordinatorInfo.address, ...others] = knownCoordinators(coordinatorInfo);
  const { host, port } = splitHostPort(first);
  const link = createCoordinatorLink({
    host,
    port,
    addresses: others,
    onCoordinators: (addresses) => {
      try {
        replaceCoordinatorAddresses(paths.nodeIdentity, addresses);
      } catch (error) {
        log.error({ err: error }, 'storing the coordinator list failed');
      }
    },
    tls: {
      caCertPem: readPem(paths.caCert, 'CA certificate'),
      certPem: readPem(paths.nodeCert, 'node certificate'),
      keyPem: readPem(paths.nodeKey, 'node key'),
    },
    logger: log,
    clock,
    version: VERSION,
    outbox,
    configVersion: () => cached?.version ?? null,
    onConfig: applyConfig,
    checksPerSecond: () => engine.checksPerSecond(),
    heartbeatMs: config.heartbeatMs,
    graceCount: config.graceCount,
    views: () => ({ suspect: vantage.suspects(), canariesFailing: vantage.canariesFailing() }),
    onVoteRequest: (request) => vantage.vote(request.monitorId),
    onProbeRequest: (check) => vantage.probe(check),
    canaries: () => vantage.canaries(),
  });

  const health = (): Promise<HealthView> => {
    const monitors = [...engine.monitors.values()];
    const paused = monitors.filter((m) => m.paused).length;
    return Promise.resolve({
      version: VERSION,
      running: true,
      dataDir: config.dataDir,
      database: null,
      monitors: { total: monitors.length, active: monitors.length - paused, paused },
      results: null,
      openIncidents: null,
      uptimeMs: clock.now() - startedAt,
      checksPerSecond: Math.round(engine.checksPerSecond() * 100) / 100,
      runtime: runtimeFigures(engine, nodeId, startedAt, {
        pending: writer.held() + outbox.backlog(),
        dropped: outbox.dropped() + writer.dropped(),
      }),
      cluster: {
        role: 'agent',
        nodeId,
        name: identity.name,
        region: identity.region,
        coordinator: {
          address: link.coordinator() ?? coordinatorInfo.address,
          name: coordinatorInfo.name,
          connected: link.connected(),
          clockOffsetMs: link.clockOffsetMs(),
        },
        outbox: {
          backlog: outbox.backlog(),
          dropped: outbox.dropped() + writer.dropped(),
          heldInMemory: writer.held(),
        },
        resultsProduced: produced,
        canaries: vantage.canaries(),
        suspects: vantage.suspects().length,
      },
      // An agent keeps no database: no raw window, no budget.
      storage: null,
    });
  };
  const api = buildAgentApiServer({
    logger: log,
    token: apiToken,
    metricsToken,
    health,
    metrics,
    forward: (method, url, body) => link.forward(method, url, body, operatorToken),
  });
  await listenOrExplain(api, config.api, '--api-listen');
  cleanups.push(() => api.close());
  engine.start();
  vantage.start();
  link.start();
  const apiUrl = writeDaemonInfo(paths, api, config.api, { nodeId, startedAt });
  log.info(
    {
      apiUrl,
      coordinator: coordinatorInfo.address,
      monitors: engine.monitors.size,
      version: VERSION,
    },
    'crosscheck agent started',
  );

  async function stop(): Promise<void> {
    log.info('shutting down');
    await api.close();
    await engine.stop();
    await vantage.stop();
    writer.flush();
    writer.stop();
    await link.stop();
    if (cacheTimer !== undefined) clock.clearTimeout(cacheTimer);
    saveCache();
    outbox.close();
  }
  return { nodeId, apiUrl, role: 'agent', stop };
}
