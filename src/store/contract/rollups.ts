// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { CheckStatus } from '../../domain/check-result.ts';
import type { RollupBucket } from '../types.ts';
import type { MakeStore } from './fixtures.ts';
import { DAY, HOUR, MINUTE, T0, batch, makeMonitor, makeResult, withStore } from './fixtures.ts';

type Sample = [offsetMs: number, status: CheckStatus, latencyMs: number];

const samples = (monitorId: string, list: readonly Sample[]) =>
  list.map(([offset, status, latency]) => makeResult(monitorId, T0 + offset, status, latency));

function bucket(
  bucketStart: number,
  figures: Omit<RollupBucket, 'monitorId' | 'bucketStart'>,
): RollupBucket {
  return { monitorId: 'm1', bucketStart, ...figures };
}

/** rollup(): exact figures, idempotence, late results, pruned raw data and hour buckets. */
export function rollupContract(makeStore: MakeStore): void {
  it('folds results into minute, hour and day buckets with exact counts and nearest-rank percentiles', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      const m1: Sample[] = [
        [0, 'up', 10],
        [1_000, 'up', 20],
        [2_000, 'degraded', 30],
        // A node error says nothing about the target: in no figure (count, failures, latency).
        [2_500, 'error', 9_999],
        [59_999, 'down', 40],
        [MINUTE, 'up', 100],
        [MINUTE + 1, 'down', 300],
        [HOUR + 5_000, 'up', 7],
      ];
      await store.commitBatch(
        batch({ results: [...samples('m1', m1), ...samples('m2', [[0, 'up', 1]])] }),
      );

      assert.deepEqual(await store.rollup(), { minuteBuckets: 4, hourBuckets: 3, dayBuckets: 2 });
      const minutes = [
        bucket(T0, {
          count: 4,
          failures: 1,
          degraded: 1,
          latencyP50: 20,
          latencyP95: 40,
          latencyMax: 40,
        }),
        bucket(T0 + MINUTE, {
          count: 2,
          failures: 1,
          degraded: 0,
          latencyP50: 100,
          latencyP95: 300,
          latencyMax: 300,
        }),
        bucket(T0 + HOUR, {
          count: 1,
          failures: 0,
          degraded: 0,
          latencyP50: 7,
          latencyP95: 7,
          latencyMax: 7,
        }),
      ];
      const hours = [
        bucket(T0, {
          count: 6,
          failures: 2,
          degraded: 1,
          latencyP50: 30,
          latencyP95: 300,
          latencyMax: 300,
        }),
        bucket(T0 + HOUR, {
          count: 1,
          failures: 0,
          degraded: 0,
          latencyP50: 7,
          latencyP95: 7,
          latencyMax: 7,
        }),
      ];
      // Percentiles of a day are the count-weighted nearest rank of its hours' percentiles;
      // here they happen to equal the exact ones (7 10 20 30 40 100 300).
      const days = [
        bucket(T0, {
          count: 7,
          failures: 2,
          degraded: 1,
          latencyP50: 30,
          latencyP95: 300,
          latencyMax: 300,
        }),
      ];
      assert.deepEqual(await store.listRollups('minute', 'm1', 0), minutes);
      assert.deepEqual(await store.listRollups('hour', 'm1', 0), hours);
      assert.deepEqual(await store.listRollups('day', 'm1', 0), days);
      assert.deepEqual(await store.listRollups('minute', 'm1', T0 + MINUTE), minutes.slice(1));
      assert.deepEqual(await store.listRollups('day', 'm1', T0 + 1), []);

      assert.deepEqual(await store.rollup(), { minuteBuckets: 0, hourBuckets: 0, dayBuckets: 0 });
      assert.deepEqual(await store.listRollups('minute', 'm1', 0), minutes, 'idempotent');
      assert.deepEqual(await store.listRollups('hour', 'm1', 0), hours, 'idempotent');
      assert.deepEqual(await store.listRollups('day', 'm1', 0), days, 'idempotent');
    }));

  it('re-rolls old minute, hour and day buckets when a late result arrives, touching nothing else', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          results: samples('m1', [
            [0, 'up', 10],
            [1_000, 'degraded', 20],
            [2_000, 'down', 40],
            [MINUTE, 'up', 100],
            [2 * HOUR, 'up', 50],
          ]),
        }),
      );
      await store.rollup();
      const untouched = await store.listRollups('minute', 'm1', T0 + MINUTE);
      assert.equal((await store.listRollups('day', 'm1', 0))[0]?.count, 5);

      // Replayed from an agent's backlog, two hours late.
      await store.commitBatch(batch({ results: samples('m1', [[30_000, 'up', 5]]) }));
      assert.deepEqual(await store.rollup(), { minuteBuckets: 1, hourBuckets: 1, dayBuckets: 1 });

      const [minute] = await store.listRollups('minute', 'm1', 0);
      assert.deepEqual(
        minute,
        bucket(T0, {
          count: 4,
          failures: 1,
          degraded: 1,
          latencyP50: 10,
          latencyP95: 40,
          latencyMax: 40,
        }),
      );
      const [hour] = await store.listRollups('hour', 'm1', 0);
      assert.deepEqual(
        hour,
        bucket(T0, {
          count: 5,
          failures: 1,
          degraded: 1,
          latencyP50: 20,
          latencyP95: 100,
          latencyMax: 100,
        }),
      );
      assert.deepEqual(await store.listRollups('minute', 'm1', T0 + MINUTE), untouched);
      // Hours 00 (5 results, p50 20, p95 100) and 02 (1 result, 50), weighted.
      assert.deepEqual(await store.listRollups('day', 'm1', 0), [
        bucket(T0, {
          count: 6,
          failures: 1,
          degraded: 1,
          latencyP50: 20,
          latencyP95: 100,
          latencyMax: 100,
        }),
      ]);
    }));

  it('adds a late result to a bucket whose raw results were already pruned', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          results: samples('m1', [
            [DAY, 'up', 10],
            [DAY + 1_000, 'up', 20],
          ]),
        }),
      );
      await store.rollup();
      const pruned = await store.prune(T0 + 3 * DAY, {
        rawMs: DAY,
        minuteMs: 30 * DAY,
        hourMs: 400 * DAY,
        dayMs: 400 * DAY,
      });
      assert.equal(pruned.results, 2);

      await store.commitBatch(batch({ results: samples('m1', [[DAY + 2_000, 'down', 500]]) }));
      await store.rollup();
      const merged = {
        count: 3,
        failures: 1,
        degraded: 0,
        latencyP50: 10,
        latencyP95: 20,
        latencyMax: 500,
      };
      assert.deepEqual(await store.listRollups('minute', 'm1', 0), [bucket(T0 + DAY, merged)]);
      assert.deepEqual(await store.listRollups('hour', 'm1', 0), [bucket(T0 + DAY, merged)]);
      assert.deepEqual(await store.listRollups('day', 'm1', 0), [bucket(T0 + DAY, merged)]);
    }));

  it('adds a late result to a day bucket whose hour buckets were already pruned', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          results: samples('m1', [
            [DAY, 'up', 10],
            [DAY + HOUR, 'up', 20],
          ]),
        }),
      );
      await store.rollup();
      const now = T0 + 3 * DAY;
      const pruned = await store.prune(now, {
        rawMs: DAY,
        minuteMs: DAY,
        hourMs: DAY,
        dayMs: 400 * DAY,
      });
      assert.deepEqual([pruned.results, pruned.hourBuckets, pruned.dayBuckets], [2, 2, 0]);

      await store.commitBatch(batch({ results: samples('m1', [[DAY + 2 * HOUR, 'down', 500]]) }));
      assert.deepEqual(await store.rollup(), { minuteBuckets: 1, hourBuckets: 1, dayBuckets: 1 });
      // Rebuilding the day from its one remaining hour would have lost the first two results.
      assert.deepEqual(await store.listRollups('day', 'm1', 0), [
        bucket(T0 + DAY, {
          count: 3,
          failures: 1,
          degraded: 0,
          latencyP50: 10,
          latencyP95: 20,
          latencyMax: 500,
        }),
      ]);
      const [threeDays] = (await store.resultCounts(['m1'], [3 * DAY], now)).get('m1') ?? [];
      assert.deepEqual(threeDays, { total: 3, failures: 1 });
    }));
}
