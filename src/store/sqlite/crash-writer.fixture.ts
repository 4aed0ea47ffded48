/**
 * Child process for the crash-safety test: commits batches in a loop and prints
 * "committed N" after commitBatch acknowledges batch N, until it is killed.
 *
 *   node crash-writer.fixture.ts <db-file> <results-per-batch>
 */
import { batch, makeMonitor, makeResult, makeState, T0 } from '../contract/fixtures.ts';
import { openSqliteStore } from './open-sqlite-store.ts';

/** Bound on the loop, in case the parent never kills us. */
const MAX_BATCHES = 100_000;

const [file, perBatchArg] = process.argv.slice(2);
if (file === undefined)
  throw new Error('usage: crash-writer.fixture.ts <db-file> <results-per-batch>');
const perBatch = Number(perBatchArg ?? '200');

const store = await openSqliteStore({ file });
if ((await store.getMonitor('m1')) === undefined) await store.insertMonitor(makeMonitor('m1'));
for (let n = 0; n < MAX_BATCHES; n++) {
  const results = Array.from({ length: perBatch }, (_, i) =>
    makeResult('m1', T0 + n * perBatch + i, 'up', 10, `b${n}-${i}`),
  );
  const lastCheckedAt = T0 + n * perBatch + perBatch - 1;
  await store.commitBatch(batch({ results, states: [makeState('m1', { lastCheckedAt })] }));
  process.stdout.write(`committed ${n}\n`);
}
await store.close();
