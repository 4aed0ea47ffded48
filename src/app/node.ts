import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createAlertDispatcher } from '../alerts/dispatcher.ts';
import { findChannel } from '../alerts/registry.ts';
import { runCheck } from '../agent/check-runner.ts';
import { createIngestor } from '../agent/ingest.ts';
import { buildApiServer } from '../api/server.ts';
import { dataDirPaths, ensureDataDir, writePrivateFile } from '../config/data-dir.ts';
import type { NodeConfig } from '../config/node-config.ts';
import { isLoopbackHost } from '../config/node-config.ts';
import type { Monitor } from '../domain/monitor.ts';
import { monitorRef } from '../domain/monitor.ts';
import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { newId, newResultId } from '../lib/ids.ts';
import type { Logger } from '../observability/logger.ts';
import { createNodeMetrics } from '../observability/metrics.ts';
import { RateMeter } from '../observability/rate-meter.ts';
import { createScheduler } from '../scheduler/scheduler.ts';
import { createMonitorChangeBus } from '../services/events.ts';
import { createHealthService } from '../services/health-service.ts';
import { createMonitorService } from '../services/monitors/monitor-service.ts';
import { createQueryService } from '../services/status-service.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.ts';
import { acquireDaemonLock } from './daemon-lock.ts';
import type { DaemonInfo } from './daemon-lock.ts';
import { startMaintenance } from './maintenance.ts';
import type { MonitorJob } from './monitor-jobs.ts';
import { jobOf } from './monitor-jobs.ts';
import { VERSION } from './version.ts';

/** A started node; `stop` shuts it down gracefully (drains checks, flushes results). */
export interface RunningNode {
  nodeId: string;
  apiUrl: string;
  stop(): Promise<void>;
}

export interface StartNodeOptions {
  config: NodeConfig;
  logger: Logger;
  clock?: Clock;
}

/** Composition root of a single node: store, scheduler, checks, ingest, alerts, API. */
export async function startNode(options: StartNodeOptions): Promise<RunningNode> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const paths = dataDirPaths(config.dataDir);
  ensureDataDir(config.dataDir);
  const lock = acquireDaemonLock(paths.lock);
  const cleanups: (() => Promise<void> | void)[] = [() => lock.release()];
  try {
    return await wire();
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup();
    throw error;
  }

  async function wire(): Promise<RunningNode> {
    const nodeId = readOrCreate(paths.nodeId, () => newId('node'));
    const apiToken = readOrCreate(paths.apiToken, () => randomBytes(32).toString('hex'));
    const log = logger.child({ nodeId });
    const store = await openSqliteStore({ file: paths.database, logger: log });
    cleanups.push(() => store.close());

    const monitors = new Map<string, Monitor>((await store.listMonitors()).map((m) => [m.id, m]));
    const checksRate = new RateMeter(60);
    const startedAt = clock.now();

    const dispatcher = createAlertDispatcher({ store, clock, logger: log, channels: findChannel });
    // Read at scrape time only; `scheduler` and `ingestor` exist by then.
    const metrics = createNodeMetrics({
      *monitors() {
        for (const monitor of monitors.values()) {
          if (!monitor.paused)
            yield { monitor: monitorRef(monitor), state: ingestor.state(monitor.id) };
        }
      },
      scheduler: () => {
        const s = scheduler.stats();
        return { jobs: s.jobs, inFlight: s.inFlight, queued: s.queued, lagP99Ms: s.lagMs.p99 };
      },
      ingestPending: () => ingestor.stats().pending,
    });
    const ingestor = createIngestor({
      store,
      clock,
      logger: log,
      lookupMonitor: (id) => monitors.get(id),
      newId,
      flushIntervalMs: config.flushIntervalMs,
      onCommitted: ({ results, alerts }) => {
        metrics.observeCommit(results, alerts);
        if (alerts > 0) dispatcher.kick();
      },
    });
    await ingestor.load();

    const shutdown = new AbortController();
    const scheduler = createScheduler<MonitorJob>({
      clock,
      concurrency: config.concurrency,
      logger: log,
      run: async (job, plannedAt) => {
        const monitor = job.monitor;
        const checkedAt = clock.now();
        const result = await runCheck(monitor, {
          signal: shutdown.signal,
          logger: log,
          monitorId: monitor.id,
        });
        if (shutdown.signal.aborted) return;
        checksRate.mark(clock.now());
        metrics.observeCheck(monitor.type, result.status, result.latencyMs);
        ingestor.submit({ ...result, id: newResultId(), monitorId: monitor.id, nodeId, checkedAt });
        if (checkedAt - plannedAt > 5_000)
          log.warn({ monitorId: monitor.id, lagMs: checkedAt - plannedAt }, 'check started late');
      },
      onSkip: ({ job, slots, reason }) =>
        log.debug({ monitorId: job.id, slots, reason }, 'check slots skipped'),
    });
    for (const monitor of monitors.values()) if (!monitor.paused) scheduler.upsert(jobOf(monitor));

    const changes = createMonitorChangeBus();
    changes.subscribe((change) => {
      if (change.type === 'removed') {
        monitors.delete(change.id);
        scheduler.remove(change.id);
        ingestor.forget(change.id);
        return;
      }
      const previous = monitors.get(change.monitor.id);
      monitors.set(change.monitor.id, change.monitor);
      if (change.monitor.paused) {
        scheduler.remove(change.monitor.id);
        return;
      }
      scheduler.upsert(jobOf(change.monitor));
      // A new or resumed monitor is checked now, not up to one interval later.
      if (!previous || previous.paused) scheduler.runNow(change.monitor.id);
    });

    const maintenance = startMaintenance({
      store,
      clock,
      logger: log,
      retention: config.retention,
    });
    const monitorService = createMonitorService({
      store,
      clock,
      changes,
      newId: () => newId('mon'),
    });
    const queries = createQueryService({
      store,
      clock,
      states: (ids) => Promise.resolve(new Map(ids.map((id) => [id, ingestor.state(id)]))),
    });
    const health = createHealthService({
      store,
      clock,
      version: VERSION,
      dataDir: config.dataDir,
      databasePath: paths.database,
      runtime: () => {
        const s = scheduler.stats();
        const i = ingestor.stats();
        return {
          pid: process.pid,
          nodeId,
          startedAt,
          checksPerSecond: checksRate.perSecond(clock.now()),
          scheduler: {
            jobs: s.jobs,
            inFlight: s.inFlight,
            queued: s.queued,
            runsSkipped: s.runsSkipped,
          },
          ingest: { pending: i.pending, dropped: i.dropped },
          memory: memoryFigures(),
        };
      },
    });
    const loopbackOnly = isLoopbackHost(config.api.host);
    const api = buildApiServer({
      services: { monitors: monitorService, queries, health, clock, metrics },
      logger: log,
      ...(loopbackOnly ? {} : { token: apiToken }),
    });
    if (!loopbackOnly)
      log.warn(
        { host: config.api.host },
        'API is reachable beyond loopback: bearer token required',
      );

    await listenOrExplain(api, config.api);
    cleanups.push(() => api.close());
    dispatcher.start();
    scheduler.start();
    const address = api.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.api.port;
    const apiUrl = `http://${config.api.host.includes(':') ? `[${config.api.host}]` : config.api.host}:${port}`;
    const info: DaemonInfo = { pid: process.pid, apiUrl, nodeId, version: VERSION, startedAt };
    writePrivateFile(paths.daemonInfo, JSON.stringify(info));
    log.info(
      { apiUrl, dataDir: config.dataDir, monitors: monitors.size, version: VERSION },
      'crosscheck node started',
    );

    let stopping: Promise<void> | undefined;
    async function stop(): Promise<void> {
      log.info('shutting down');
      fs.rmSync(paths.daemonInfo, { force: true });
      await api.close();
      shutdown.abort();
      await scheduler.stop();
      await ingestor.stop();
      await dispatcher.stop();
      await maintenance.stop();
      await maintenance
        .runOnce()
        .catch((error: unknown) => log.error({ err: error }, 'final rollup failed'));
      await store.close();
      lock.release();
      log.info('stopped');
    }
    return {
      nodeId,
      apiUrl,
      stop: () => (stopping ??= stop()),
    };
  }
}

function memoryFigures(): { rssBytes: number; heapUsedBytes: number; externalBytes: number } {
  const usage = process.memoryUsage();
  return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external };
}

/** Starts listening; an address in use or not allowed becomes a clear UNAVAILABLE error. */
async function listenOrExplain(
  api: ReturnType<typeof buildApiServer>,
  address: { host: string; port: number },
): Promise<void> {
  try {
    await api.listen(address);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${address.host}:${address.port}`;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new AppError(
        'UNAVAILABLE',
        `cannot serve the API on ${where} (${code}); choose another address with --api-listen`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Reads a small private file, creating it with `make()` (mode 0600) when absent. */
function readOrCreate(file: string, make: () => string): string {
  try {
    const value = fs.readFileSync(file, 'utf8').trim();
    if (value) return value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = make();
  writePrivateFile(file, value);
  return value;
}
