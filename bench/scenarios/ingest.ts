/**
 * Scenario 3 — ingest into SQLite, in this process.
 *
 * (a) store: 10 simulated agents stream their results for a set of monitors; each batch of
 *     1,000 is one agent's report, committed through Store.commitBatch (results + states in
 *     one transaction), round-robin over the agents. Then rollup, uptime over every monitor,
 *     and the database size per million results.
 * (b) pipeline: one node's own path, results submitted one by one to the ingestor (state
 *     machine + batching + the same commit), until everything is flushed.
 */
import { newResultId } from '../../src/lib/ids.ts';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONSENSUS } from '../../src/domain/consensus.ts';
import { createIngestor } from '../../src/cluster/coordinator/ingest.ts';
import type { RecordedResult } from '../../src/domain/check-result.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { MonitorRuntimeState } from '../../src/domain/monitor-state.ts';
import { initialRuntimeState } from '../../src/domain/monitor-state.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import type { IngestBatch } from '../../src/store/types.ts';
import type { Scenario } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';
import { round } from '../lib/stats.ts';

export const AGENTS = 10;
const INTERVAL_MS = 60_000;
export const BATCH = 1_000;

export function monitor(i: number, now: number): Monitor {
  return {
    id: `mon-${String(i).padStart(5, '0')}`,
    name: `Service ${i}`,
    type: 'https',
    target: `https://service-${i}.internal.test/health`,
    intervalMs: INTERVAL_MS,
    timeoutMs: 10_000,
    group: `group-${i % 10}`,
    tags: ['bench', `tier-${i % 3}`],
    options: { expectedStatus: ['200-299'], followRedirects: true },
    failureThreshold: 2,
    recoveryThreshold: 2,
    degradedIsDown: false,
    paused: false,
    alerts: [],
    regionalAlerts: [],
    consensus: DEFAULT_CONSENSUS,
    nodes: { regions: [], labels: {} },
    alertCooldownMs: 300_000,
    dependsOn: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** The n-th result in arrival order: each agent reports every monitor once per interval. */
export function result(n: number, start: number, monitorCount: number): RecordedResult {
  const monitorIndex = n % monitorCount;
  const agent = Math.floor(n / monitorCount) % AGENTS;
  const tick = Math.floor(n / (monitorCount * AGENTS));
  const roll = (n * 2_654_435_761) % 1000;
  const status = roll < 20 ? 'down' : roll < 120 ? 'degraded' : 'up';
  const latencyMs =
    status === 'down' ? 10_000 : 20 + (roll % 180) + (status === 'degraded' ? 900 : 0);
  const checkedAt = start + tick * INTERVAL_MS + monitorIndex * 37 + agent * 5;
  const base: RecordedResult = {
    // The product's own id scheme (time-ordered UUIDv7), made when the check ran.
    id: newResultId(checkedAt),
    monitorId: `mon-${String(monitorIndex).padStart(5, '0')}`,
    nodeId: `agent-${agent}`,
    checkedAt,
    status,
    latencyMs,
    timings: { dnsMs: 1.2, connectMs: 3.4, tlsMs: 8.9, firstByteMs: latencyMs - 2 },
    message: status === 'down' ? 'connection timed out' : `HTTP 200 in ${latencyMs} ms`,
    details: { statusCode: status === 'down' ? null : 200 },
  };
  if (status === 'down') base.errorKind = 'timeout';
  return base;
}

export function batchOf(results: RecordedResult[]): IngestBatch {
  const states = new Map<string, MonitorRuntimeState>();
  for (const r of results) {
    states.set(r.monitorId, {
      ...initialRuntimeState(r.monitorId),
      status: r.status === 'error' ? 'pending' : r.status,
      lastCheckedAt: r.checkedAt,
      lastResultStatus: r.status,
      lastLatencyMs: r.latencyMs,
      lastMessage: r.message,
    });
  }
  return {
    results,
    states: [...states.values()],
    incidentsOpened: [],
    incidentsResolved: [],
    alerts: [],
  };
}

/** (a) Store.commitBatch from 10 agents, then rollup, uptime and size. */
async function measureStoreIngest(file: string, total: number, monitorCount: number) {
  const store = await openSqliteStore({ file });
  try {
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < monitorCount; i++) await store.insertMonitor(monitor(i, start));
    // Batches are generated ahead, 100 at a time and outside the timing, so the figure is
    // the store's work (and the generator's garbage is not collected inside the commits).
    const AHEAD = 100 * BATCH;
    let commitMs = 0;
    for (let chunk = 0; chunk < total; chunk += AHEAD) {
      const batches: IngestBatch[] = [];
      for (let from = chunk; from < Math.min(total, chunk + AHEAD); from += BATCH) {
        const results: RecordedResult[] = [];
        for (let n = from; n < Math.min(total, from + BATCH); n++)
          results.push(result(n, start, monitorCount));
        batches.push(batchOf(results));
      }
      const committed = performance.now();
      for (const batch of batches) await store.commitBatch(batch);
      commitMs += performance.now() - committed;
    }
    const rollupStarted = performance.now();
    const buckets = await store.rollup();
    const rollupMs = performance.now() - rollupStarted;
    const ids = Array.from({ length: monitorCount }, (_, i) => monitor(i, start).id);
    const now = start + Math.ceil(total / (monitorCount * AGENTS)) * INTERVAL_MS;
    const uptimeStarted = performance.now();
    await store.uptime(ids, [3_600_000, 86_400_000, 30 * 86_400_000], now);
    const uptimeMs = performance.now() - uptimeStarted;
    const stats = await store.stats();
    return {
      results: total,
      batchSize: BATCH,
      monitors: monitorCount,
      agents: AGENTS,
      commitSeconds: round(commitMs / 1000),
      resultsPerSecond: Math.round(total / (commitMs / 1000)),
      rollupSeconds: round(rollupMs / 1000),
      minuteBuckets: buckets.minuteBuckets,
      hourBuckets: buckets.hourBuckets,
      dayBuckets: buckets.dayBuckets,
      uptimeAllMonitorsMs: round(uptimeMs),
      dbBytes: stats.sizeBytes,
      mbPerMillionResults: round(stats.sizeBytes / 1_048_576 / (total / 1_000_000)),
    };
  } finally {
    await store.close();
  }
}

/** (b) One node's pipeline: submit one by one, flush, time until all is committed. */
async function measurePipeline(file: string, total: number, monitorCount: number) {
  const store = await openSqliteStore({ file });
  try {
    const start = Date.now();
    const monitors = new Map<string, Monitor>();
    for (let i = 0; i < monitorCount; i++) {
      const m = monitor(i, start);
      monitors.set(m.id, m);
      await store.insertMonitor(m);
    }
    const ingestor = createIngestor({
      store,
      clock: systemClock,
      logger: createLogger('silent'),
      lookupMonitor: (id) => monitors.get(id),
      flushIntervalMs: 200,
    });
    await ingestor.load();
    // Agent 0's share of the arrival order: every monitor once per interval, tick after tick.
    const agentZero = (n: number): number =>
      (n % monitorCount) + Math.floor(n / monitorCount) * monitorCount * AGENTS;
    const results = Array.from({ length: total }, (_, n) =>
      result(agentZero(n), start, monitorCount),
    );
    const started = performance.now();
    for (let n = 0; n < total; n++) {
      ingestor.submit(results[n] as RecordedResult);
      // Like checks completing over time: let the batched writes interleave with submits.
      if (n % BATCH === BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
    }
    await ingestor.flush();
    const seconds = (performance.now() - started) / 1000;
    const stats = ingestor.stats();
    await ingestor.stop();
    return {
      results: total,
      monitors: monitorCount,
      committed: stats.committed,
      dropped: stats.dropped,
      seconds: round(seconds),
      resultsPerSecond: Math.round(stats.committed / seconds),
    };
  } finally {
    await store.close();
  }
}

export const ingest: Scenario = {
  name: 'ingest',
  description:
    'results/s into SQLite (10 agents, batched) and through the ingest pipeline; MB per million',
  async run({ quick, workDir }) {
    const storeTotal = quick ? 100_000 : 1_000_000;
    const pipelineTotal = quick ? 50_000 : 200_000;
    const monitors = 1_000;
    const store = await measureStoreIngest(path.join(workDir, 'store.db'), storeTotal, monitors);
    const pipeline = await measurePipeline(
      path.join(workDir, 'pipeline.db'),
      pipelineTotal,
      monitors,
    );
    for (const file of fs.readdirSync(workDir))
      fs.rmSync(path.join(workDir, file), { force: true });
    printTable(
      'ingest into SQLite',
      ['path', 'results', 'results/s', 'rollup s', 'uptime ms (all)', 'MB per million'],
      [
        [
          'store.commitBatch, 10 agents',
          store.results,
          store.resultsPerSecond,
          store.rollupSeconds,
          store.uptimeAllMonitorsMs,
          store.mbPerMillionResults,
        ],
        [
          'ingestor (state machine + batching)',
          pipeline.results,
          pipeline.resultsPerSecond,
          '',
          '',
          '',
        ],
      ],
    );
    return {
      figures: { store, pipeline },
      targets: [
        {
          target: 'ingest into SQLite',
          goal: '≥ 20,000 results/s',
          measured: `${store.resultsPerSecond.toLocaleString('en')} results/s`,
          pass: store.resultsPerSecond >= 20_000,
        },
      ],
    };
  },
};
