/**
 * Ingest into PostgreSQL (issue #17): `Store.commitBatch` with 10 simulated agents, batches of
 * 1,000 (the `ingest` scenario's fixture), into a throwaway cluster this script starts on
 * 127.0.0.1 at a free port and stops at the end (also on error). Not part of `npm run bench`
 * (it needs PostgreSQL's server binaries); run it on its own:
 *
 *   node bench/postgres-ingest.ts                      100,000 results, unnest writer
 *   node bench/postgres-ingest.ts --writer values      the portable multi-row VALUES writer
 *   node bench/postgres-ingest.ts --results 1000000
 *
 * Prints results/s of the commits alone (batches are built ahead, outside the timing), then
 * rollup seconds and bytes per million results.
 */
import { parseArgs } from 'node:util';
import type { RecordedResult } from '../src/domain/check-result.ts';
import { openPostgresStore } from '../src/store/postgres/open-postgres-store.ts';
import type { IngestBatch } from '../src/store/types.ts';
import { createTestDatabase, startPostgres } from '../test/helpers/postgres-server.ts';
import { round } from './lib/stats.ts';
import { BATCH, batchOf, monitor, result } from './scenarios/ingest.ts';

const { values } = parseArgs({
  options: {
    results: { type: 'string', default: '100000' },
    monitors: { type: 'string', default: '1000' },
    writer: { type: 'string', default: 'unnest' },
  },
});
const total = Number(values.results);
const monitorCount = Number(values.monitors);
if (values.writer !== 'unnest' && values.writer !== 'values') {
  throw new Error('--writer must be unnest or values');
}

function batches(start: number): IngestBatch[] {
  const all: IngestBatch[] = [];
  for (let from = 0; from < total; from += BATCH) {
    const results: RecordedResult[] = [];
    for (let n = from; n < Math.min(total, from + BATCH); n++) {
      results.push(result(n, start, monitorCount));
    }
    all.push(batchOf(results));
  }
  return all;
}

const server = await startPostgres();
try {
  const database = await createTestDatabase(server, 'bench_ingest');
  const store = await openPostgresStore({
    url: database.url,
    portableWriters: values.writer === 'values',
  });
  try {
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < monitorCount; i++) await store.insertMonitor(monitor(i, start));
    const prepared = batches(start);
    const started = performance.now();
    for (const batch of prepared) await store.commitBatch(batch);
    const seconds = (performance.now() - started) / 1000;
    const rollupStarted = performance.now();
    await store.rollup();
    const rollupSeconds = (performance.now() - rollupStarted) / 1000;
    const { sizeBytes } = await store.stats();
    const figures = {
      writer: values.writer,
      results: total,
      batchSize: BATCH,
      monitors: monitorCount,
      commitSeconds: round(seconds),
      resultsPerSecond: Math.round(total / seconds),
      rollupSeconds: round(rollupSeconds),
      dbBytes: sizeBytes,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await store.close();
    await database.drop();
  }
} finally {
  await server.stop();
}
