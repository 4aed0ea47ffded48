import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AppError } from '../lib/errors.ts';
import { silentLogger } from '../observability/logger.ts';
import { HOUR, T0, batch, makeMonitor, makeResult } from '../store/contract/fixtures.ts';
import type { Store } from '../store/types.ts';
import { DEFAULT_RETENTION } from '../store/types.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import type { HousekeepingPasses } from './housekeeping.ts';
import { startHousekeepingWorker } from './housekeeping-worker.ts';

describe('housekeeping worker thread', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let passes: HousekeepingPasses | undefined;

  beforeEach(async () => {
    ({ store, dir, cleanup } = await tempSqliteStore());
    await store.insertMonitor(makeMonitor('m1'));
  });
  afterEach(async () => {
    await passes?.close();
    passes = undefined;
    await cleanup();
  });

  it('rolls up and prunes on its own connection; the daemon reads what it wrote', async () => {
    const now = T0 + 10 * 86_400_000;
    const old = now - DEFAULT_RETENTION.rawMs - HOUR;
    await store.commitBatch(
      batch({
        results: [makeResult('m1', old, 'down', 5), makeResult('m1', now - 30_000, 'up', 40)],
      }),
    );
    passes = await startHousekeepingWorker({
      file: path.join(dir, 'crosscheck.db'),
      logger: silentLogger(),
    });
    assert.equal(passes.thread, 'worker');

    const rolled = await passes.rollup();
    assert.deepEqual(rolled.counts, { minuteBuckets: 2, hourBuckets: 2, dayBuckets: 2 });
    assert.ok(rolled.cpuMs > 0, 'the thread reports its own CPU time');
    const minutes = await store.listRollups('minute', 'm1', 0);
    assert.ok(
      minutes.some((b) => b.count === 1 && b.latencyMax === 40),
      JSON.stringify(minutes),
    );

    const pruned = await passes.prune(now, DEFAULT_RETENTION);
    assert.equal(pruned.counts.results, 1);
    const raw = await store.listResults({ monitorId: 'm1', since: 0, limit: 10 });
    assert.deepEqual(
      raw.map((r) => r.status),
      ['up'],
    );
    // Idempotent: nothing new, nothing written.
    assert.deepEqual((await passes.rollup()).counts, {
      minuteBuckets: 0,
      hourBuckets: 0,
      dayBuckets: 0,
    });
  });

  it('fails to start, with a typed error, when the database cannot be opened', async () => {
    const notADatabase = path.join(dir, 'not-a-db');
    fs.writeFileSync(notADatabase, 'plain text, not SQLite '.repeat(100));
    await assert.rejects(
      startHousekeepingWorker({ file: notADatabase, logger: silentLogger() }),
      (error: unknown) => error instanceof AppError && /housekeeping thread/.test(error.message),
    );
  });

  it('rejects passes after close, and close is safe twice', async () => {
    passes = await startHousekeepingWorker({
      file: path.join(dir, 'crosscheck.db'),
      logger: silentLogger(),
    });
    await passes.close();
    await passes.close();
    await assert.rejects(passes.rollup(), (error: unknown) => error instanceof AppError);
  });
});
