/**
 * Housekeeping on a PostgreSQL coordinator (issue #17): the passes run on the daemon's own
 * pool (`inProcessPasses`), not on a worker thread as on SQLite. This measures what that costs
 * the daemon's event loop: rollup, the storage figures and prune over a store filled through
 * `commitBatch`, each with the largest and p99 event-loop delay while it ran. A throwaway
 * cluster on 127.0.0.1 at a free port, stopped at the end (also on error). Not part of
 * `npm run bench` (it needs PostgreSQL's server binaries):
 *
 *   node bench/postgres-housekeeping.ts                  200,000 results over 1,000 monitors
 *   node bench/postgres-housekeeping.ts --results 1000000
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { inProcessPasses } from '../src/app/housekeeping.ts';
import type { RecordedResult } from '../src/domain/check-result.ts';
import { openPostgresStore } from '../src/store/postgres/open-postgres-store.ts';
import { DEFAULT_RETENTION } from '../src/store/types.ts';
import { createTestDatabase, startPostgres } from '../test/helpers/postgres-server.ts';
import { round } from './lib/stats.ts';
import { BATCH, batchOf, monitor, result } from './scenarios/ingest.ts';

const { values } = parseArgs({
  options: {
    results: { type: 'string', default: '200000' },
    monitors: { type: 'string', default: '1000' },
  },
});
const total = Number(values.results);
const monitorCount = Number(values.monitors);

/** Runs one pass with the event-loop delay recorded: wall ms, CPU ms, loop delay max/p99. */
async function timed(pass: () => Promise<{ cpuMs: number }>): Promise<Record<string, number>> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  const { cpuMs } = await pass();
  const ms = performance.now() - started;
  delay.disable();
  return {
    ms: round(ms),
    mainThreadCpuMs: round(cpuMs),
    loopDelayMaxMs: round(delay.max / 1e6),
    loopDelayP99Ms: round(delay.percentile(99) / 1e6),
  };
}

const server = await startPostgres();
try {
  const database = await createTestDatabase(server, 'bench_housekeeping');
  const store = await openPostgresStore({ url: database.url });
  try {
    // Results over the last hour, so the prune pass (7 days of raw results) keeps them all and
    // the figures are the rollup's and the measurement's.
    const start = Date.now() - 3_600_000;
    for (let i = 0; i < monitorCount; i++) await store.insertMonitor(monitor(i, start));
    for (let from = 0; from < total; from += BATCH) {
      const results: RecordedResult[] = [];
      for (let n = from; n < Math.min(total, from + BATCH); n++)
        results.push(result(n, start, monitorCount));
      await store.commitBatch(batchOf(results));
    }
    const passes = inProcessPasses(store);
    const figures = {
      results: total,
      monitors: monitorCount,
      rollup: await timed(() => passes.rollup()),
      measure: await timed(() => passes.measure(Date.now())),
      prune: await timed(() => passes.prune(Date.now(), DEFAULT_RETENTION)),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await store.close();
    await database.drop();
  }
} finally {
  await server.stop();
}
