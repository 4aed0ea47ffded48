/**
 * Store ingest benchmark (not a test): 10 simulated agents' results for a set of monitors,
 * committed in batches through Store.commitBatch, then rolled up.
 *
 *   node bench/store-ingest.ts [--results 200000] [--batch 1000] [--monitors 1000]
 *
 * Prints results/s for ingest, rollup time, uptime query time, and DB size per million results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RecordedResult } from '../src/domain/check-result.ts';
import type { Monitor } from '../src/domain/monitor.ts';
import { initialRuntimeState } from '../src/domain/monitor-state.ts';
import type { MonitorRuntimeState } from '../src/domain/monitor-state.ts';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.ts';
import type { IngestBatch } from '../src/store/types.ts';

const AGENTS = 10;
const INTERVAL_MS = 60_000;
const MAX_RESULTS = 5_000_000;

const { values } = parseArgs({
  options: {
    results: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '1000' },
    monitors: { type: 'string', default: '1000' },
  },
});
const totalResults = Math.min(MAX_RESULTS, Number(values.results));
const batchSize = Math.max(1, Number(values.batch));
const monitorCount = Math.max(1, Number(values.monitors));

function monitor(i: number, now: number): Monitor {
  return {
    id: `mon-${String(i).padStart(5, '0')}`,
    name: `Service ${i}`,
    type: 'https',
    target: `https://service-${i}.internal.test/health`,
    intervalMs: INTERVAL_MS,
    timeoutMs: 10_000,
    group: `group-${i % 10}`,
    tags: ['bench', `tier-${i % 3}`],
    options: { expectedStatus: [200], followRedirects: true },
    failureThreshold: 2,
    recoveryThreshold: 2,
    degradedIsDown: false,
    paused: false,
    alerts: [],
    alertCooldownMs: 300_000,
    createdAt: now,
    updatedAt: now,
  };
}

/** The n-th result in arrival order: monitors round-robin per agent, ticks every interval. */
function result(n: number, start: number): RecordedResult {
  const monitorIndex = n % monitorCount;
  const agent = Math.floor(n / monitorCount) % AGENTS;
  const tick = Math.floor(n / (monitorCount * AGENTS));
  const roll = (n * 2_654_435_761) % 1000;
  const status = roll < 20 ? 'down' : roll < 120 ? 'degraded' : 'up';
  const latencyMs =
    status === 'down' ? 10_000 : 20 + (roll % 180) + (status === 'degraded' ? 900 : 0);
  const base: RecordedResult = {
    id: `r-${agent}-${monitorIndex}-${tick}-${n.toString(36)}`,
    monitorId: `mon-${String(monitorIndex).padStart(5, '0')}`,
    nodeId: `agent-${agent}`,
    checkedAt: start + tick * INTERVAL_MS + monitorIndex * 37 + agent * 5,
    status,
    latencyMs,
    timings: { dnsMs: 1.2, connectMs: 3.4, tlsMs: 8.9, firstByteMs: latencyMs - 2 },
    message: status === 'down' ? 'connection timed out' : `HTTP 200 in ${latencyMs} ms`,
    details: { statusCode: status === 'down' ? null : 200 },
  };
  if (status === 'down') base.errorKind = 'timeout';
  return base;
}

function batchOf(from: number, to: number, start: number): IngestBatch {
  const results: RecordedResult[] = [];
  const states = new Map<string, MonitorRuntimeState>();
  for (let n = from; n < to; n++) {
    const r = result(n, start);
    results.push(r);
    states.set(r.monitorId, {
      ...initialRuntimeState(r.monitorId),
      status: r.status,
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

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crosscheck-bench-'));
  try {
    const store = await openSqliteStore({ file: join(dir, 'bench.db') });
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < monitorCount; i++) await store.insertMonitor(monitor(i, start));

    const ingestStarted = performance.now();
    for (let from = 0; from < totalResults; from += batchSize) {
      await store.commitBatch(batchOf(from, Math.min(totalResults, from + batchSize), start));
    }
    const ingestMs = performance.now() - ingestStarted;

    const rollupStarted = performance.now();
    const buckets = await store.rollup();
    const rollupMs = performance.now() - rollupStarted;

    const ids = Array.from({ length: monitorCount }, (_, i) => monitor(i, start).id);
    const ticks = Math.ceil(totalResults / (monitorCount * AGENTS));
    const now = start + ticks * INTERVAL_MS;
    const uptimeStarted = performance.now();
    await store.uptime(ids, [3_600_000, 86_400_000, 30 * 86_400_000], now);
    const uptimeMs = performance.now() - uptimeStarted;

    const stats = await store.stats();
    await store.close();
    const figures = {
      results: totalResults,
      batchSize,
      monitors: monitorCount,
      agents: AGENTS,
      ingestSeconds: round(ingestMs / 1000),
      resultsPerSecond: Math.round(totalResults / (ingestMs / 1000)),
      rollupSeconds: round(rollupMs / 1000),
      minuteBuckets: buckets.minuteBuckets,
      hourBuckets: buckets.hourBuckets,
      dayBuckets: buckets.dayBuckets,
      uptimeAllMonitorsMs: round(uptimeMs),
      dbBytes: stats.sizeBytes,
      mbPerMillionResults: round(stats.sizeBytes / 1_048_576 / (totalResults / 1_000_000)),
    };
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
