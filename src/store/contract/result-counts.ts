// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MakeStore } from './fixtures.ts';
import type { CheckStatus } from '../../domain/check-result.ts';
import { DAY, HOUR, MINUTE, T0, batch, makeMonitor, makeResult, withStore } from './fixtures.ts';

const NOW = T0 + 10 * HOUR + 30 * MINUTE;
const WINDOWS = [HOUR, 24 * HOUR];

/** resultCounts(): rolled-up and pending results, window boundaries, day boundaries, empty monitors. */
export function resultCountsContract(makeStore: MakeStore): void {
  it('counts rolled-up and not-yet-rolled-up results once each, per window', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      await store.commitBatch(
        batch({
          results: [
            makeResult('m1', T0 + HOUR, 'up'),
            makeResult('m1', T0 + HOUR + 1, 'up'),
            makeResult('m1', T0 + HOUR + 2, 'degraded'),
            makeResult('m1', T0 + HOUR + 3, 'down'),
            makeResult('m1', T0 + 10 * HOUR + 5 * MINUTE, 'up'),
            makeResult('m1', T0 + 10 * HOUR + 6 * MINUTE, 'down'),
          ],
        }),
      );
      const expected = [
        { total: 2, failures: 1 },
        { total: 6, failures: 2 },
      ];
      const pending = await store.resultCounts(['m1'], WINDOWS, NOW);
      assert.deepEqual(pending.get('m1'), expected, 'from raw results only');

      await store.rollup();
      assert.deepEqual((await store.resultCounts(['m1'], WINDOWS, NOW)).get('m1'), expected);

      await store.commitBatch(
        batch({ results: [makeResult('m1', T0 + 10 * HOUR + 10 * MINUTE, 'up')] }),
      );
      assert.deepEqual((await store.resultCounts(['m1', 'm2', 'ghost'], WINDOWS, NOW)).get('m1'), [
        { total: 3, failures: 1 },
        { total: 7, failures: 2 },
      ]);
    }));

  it('reports zero counts for monitors without results, unknown ids included', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m2'));
      const summaries = await store.resultCounts(['m2', 'ghost'], WINDOWS, NOW);
      const empty = { total: 0, failures: 0 };
      assert.deepEqual(summaries.get('m2'), [empty, empty]);
      assert.deepEqual(summaries.get('ghost'), [empty, empty]);
      assert.deepEqual((await store.resultCounts([], WINDOWS, NOW)).size, 0);
    }));

  it('starts a window at the first hour boundary inside it and ends with the current hour', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          results: [
            // Inside the exact last hour, but before its first hour boundary (10:00).
            makeResult('m1', T0 + 9 * HOUR + 45 * MINUTE, 'down'),
            makeResult('m1', T0 + 10 * HOUR, 'up'),
            // After the hour that holds `now`.
            makeResult('m1', T0 + 11 * HOUR, 'down'),
          ],
        }),
      );
      for (const rolledUp of [false, true]) {
        if (rolledUp) await store.rollup();
        const [lastHour] = (await store.resultCounts(['m1'], [HOUR], NOW)).get('m1') ?? [];
        assert.deepEqual(lastHour, { total: 1, failures: 0 }, `rolled up: ${rolledUp}`);
      }
    }));

  it('counts exactly at hour granularity across UTC day boundaries, before and after pruning hours', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const now = T0 + 3 * DAY + 10 * HOUR + 30 * MINUTE;
      // Windows of 1, 2 and 3 days start at 11:00 on days 2, 1 and 0 and end at 11:00 on day 3.
      const at: [offsetMs: number, status: CheckStatus][] = [
        [10 * HOUR + 59 * MINUTE, 'down'], // Just before the 3-day window.
        [11 * HOUR, 'up'],
        [23 * HOUR + 59 * MINUTE, 'down'],
        [DAY, 'up'],
        [DAY + 10 * HOUR, 'down'], // Just before the 2-day window.
        [DAY + 11 * HOUR, 'up'],
        [2 * DAY + 5 * HOUR, 'down'], // Just before the 1-day window.
        [2 * DAY + 11 * HOUR, 'up'],
        [3 * DAY, 'down'],
        [3 * DAY + 10 * HOUR + 59 * MINUTE, 'up'], // In the hour holding `now`.
        [3 * DAY + 11 * HOUR, 'down'], // Later the same day, after the window.
        [4 * DAY + HOUR, 'down'],
      ];
      await store.commitBatch(
        batch({ results: at.map(([offset, status]) => makeResult('m1', T0 + offset, status)) }),
      );
      const windows = [30 * MINUTE, DAY, 2 * DAY, 3 * DAY, 30 * DAY];
      const expected = [
        { total: 1, failures: 0 },
        { total: 3, failures: 1 },
        { total: 5, failures: 2 },
        { total: 9, failures: 4 },
        { total: 10, failures: 5 },
      ];
      const atMidnight = T0 + 3 * DAY;
      // From day 2 00:00 to day 3 01:00.
      const fromMidnight = { total: 3, failures: 2 };

      const check = async (stage: string) => {
        assert.deepEqual(
          (await store.resultCounts(['m1'], windows, now)).get('m1'),
          expected,
          stage,
        );
        const [day] = (await store.resultCounts(['m1'], [DAY], atMidnight)).get('m1') ?? [];
        assert.deepEqual(day, fromMidnight, `${stage}, now at midnight`);
      };
      await check('raw results');
      await store.rollup();
      await check('rolled up');
      const pruned = await store.prune(now, {
        rawMs: 400 * DAY,
        minuteMs: 0,
        hourMs: 0,
        dayMs: 400 * DAY,
      });
      assert.equal(pruned.hourBuckets, 10, 'every hour bucket before now');
      const hoursLeft = (await store.listRollups('hour', 'm1', 0)).map((b) => b.bucketStart - T0);
      assert.deepEqual(hoursLeft, [3 * DAY + 11 * HOUR, 4 * DAY + HOUR]);
      await check('hour buckets pruned');
    }));
}
