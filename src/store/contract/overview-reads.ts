// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MakeStore } from './fixtures.ts';
import {
  HOUR,
  MINUTE,
  T0,
  batch,
  makeMonitor,
  makeResult,
  makeState,
  withStore,
} from './fixtures.ts';

/** latestNodeResults(), listRollupsOf() and statesOf(): the overview's batched reads. */
export function overviewReadsContract(makeStore: MakeStore): void {
  it('statesOf gives the stored states of the named monitors only, by monitor id', () =>
    withStore(makeStore, async (store) => {
      for (const id of ['m1', 'm2', 'm3']) await store.insertMonitor(makeMonitor(id));
      const states = ['m1', 'm2', 'm3'].map((id, n) =>
        makeState(id, { status: n === 1 ? 'down' : 'up', lastCheckedAt: T0 + n * MINUTE }),
      );
      await store.commitBatch(batch({ states }));
      const [, m2, m3] = states;
      assert.deepEqual(await store.statesOf(['m3', 'ghost', 'm2', 'm3']), [m2, m3]);
      assert.deepEqual(await store.statesOf([]), []);
    }));

  it("latestNodeResults gives each node's newest result per monitor since a time", () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      const on = (nodeId: string, r: ReturnType<typeof makeResult>) => ({ ...r, nodeId });
      await store.commitBatch(
        batch({
          results: [
            on('a', makeResult('m1', T0 + MINUTE, 'down')),
            on('a', makeResult('m1', T0 + 3 * MINUTE, 'up')),
            on('b', makeResult('m1', T0 + 2 * MINUTE, 'down')),
            on('b', makeResult('m1', T0 - HOUR, 'up')),
            on('a', makeResult('m2', T0 + MINUTE, 'degraded')),
            on('c', makeResult('m2', T0 - HOUR, 'down')),
          ],
        }),
      );
      const latest = await store.latestNodeResults(['m1', 'm2', 'ghost'], T0);
      const seen = latest
        .map((r) => `${r.monitorId}/${r.nodeId}: ${r.status} @${r.checkedAt - T0}`)
        .sort();
      assert.deepEqual(seen, [
        `m1/a: up @${3 * MINUTE}`,
        `m1/b: down @${2 * MINUTE}`,
        `m2/a: degraded @${MINUTE}`,
      ]);
      assert.deepEqual(await store.latestNodeResults([], T0), []);
    }));

  it('listRollupsOf gives the buckets of several monitors, by monitor, oldest first', () =>
    withStore(makeStore, async (store) => {
      for (const id of ['m1', 'm2', 'm3']) await store.insertMonitor(makeMonitor(id));
      await store.commitBatch(
        batch({
          results: [
            makeResult('m1', T0 + 2 * HOUR, 'up', 40),
            makeResult('m1', T0 + HOUR, 'up', 20),
            makeResult('m2', T0 + HOUR, 'down', 30),
            makeResult('m3', T0 + HOUR, 'up', 10),
            makeResult('m1', T0 - HOUR, 'up', 99),
          ],
        }),
      );
      await store.rollup();
      const buckets = await store.listRollupsOf('hour', ['m2', 'm1'], T0);
      assert.deepEqual(
        buckets.map((b) => [b.monitorId, b.bucketStart - T0, b.count, b.failures, b.latencyMax]),
        [
          ['m1', HOUR, 1, 0, 20],
          ['m1', 2 * HOUR, 1, 0, 40],
          ['m2', HOUR, 1, 1, 30],
        ],
      );
      const perMonitor = await store.listRollups('hour', 'm1', T0);
      assert.deepEqual(
        buckets.filter((b) => b.monitorId === 'm1'),
        perMonitor,
      );
    }));
}
