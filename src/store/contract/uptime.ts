// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MakeStore } from './fixtures.ts';
import {
  DAY,
  HOUR,
  MINUTE,
  T0,
  batch,
  makeIncident,
  makeMonitor,
  makeResult,
  withStore,
} from './fixtures.ts';

const NOW = T0 + 2 * DAY;
const WINDOWS = [DAY, 7 * DAY];

/** uptime(): confirmed downtime over observed time, from incidents and pauses, never results. */
export function uptimeContract(makeStore: MakeStore): void {
  it('stays at 100 % when one node fails without an incident, and is null for unknown ids', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          results: [
            makeResult('m1', NOW - HOUR, 'down'),
            makeResult('m1', NOW - 30 * MINUTE, 'down'),
          ],
        }),
      );
      await store.rollup();
      const figures = await store.uptime(['m1', 'ghost'], WINDOWS, NOW);
      assert.deepEqual(
        figures.get('m1')?.map((f) => [f.uptime, f.observedMs]),
        [
          [1, DAY],
          // Created two days before `now`: a 7-day window observed only those two days.
          [1, 2 * DAY],
        ],
      );
      assert.deepEqual(
        figures.get('ghost')?.map((f) => f.uptime),
        [null, null],
      );
      assert.equal((await store.uptime([], WINDOWS, NOW)).size, 0);
    }));

  it('is one minus the confirmed incident time over the observed time; open ones run until now', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          incidentsOpened: [makeIncident('inc-1', 'm1', NOW - 10 * HOUR)],
          incidentsResolved: [
            { id: 'inc-1', endedAt: NOW - 9 * HOUR, resolvedAt: NOW - 9 * HOUR, durationMs: HOUR },
          ],
        }),
      );
      await store.commitBatch(
        batch({ incidentsOpened: [makeIncident('inc-2', 'm1', NOW - HOUR)] }),
      );
      const [day] = (await store.uptime(['m1'], [DAY], NOW)).get('m1') ?? [];
      assert.deepEqual(
        [day?.downMs, day?.observedMs, day?.uptime],
        [2 * HOUR, DAY, 1 - (2 * HOUR) / DAY],
      );
      // An incident that ended before the window is not read.
      const [lastHours] = (await store.uptime(['m1'], [8 * HOUR], NOW)).get('m1') ?? [];
      assert.equal(lastHours?.downMs, HOUR);
    }));

  it('lowers only the named regions for a regional incident, globally from its escalation on', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const regional = {
        ...makeIncident('inc-1', 'm1', NOW - 6 * HOUR),
        verdict: 'regional' as const,
        regions: ['eu-west'],
      };
      await store.commitBatch(batch({ incidentsOpened: [regional] }));
      const [before] = (await store.uptime(['m1'], [DAY], NOW)).get('m1') ?? [];
      assert.equal(before?.uptime, 1);
      assert.deepEqual(
        before?.regions.map((r) => [r.region, r.downMs]),
        [['eu-west', 6 * HOUR]],
      );

      // Escalated two hours before now, then resolved one hour before now.
      await store.commitBatch(
        batch({
          incidentsUpdated: [{ id: 'inc-1', verdict: 'down', regions: [], at: NOW - 2 * HOUR }],
        }),
      );
      // A later update back to regional does not move or clear the escalation.
      await store.commitBatch(
        batch({
          incidentsUpdated: [
            { id: 'inc-1', verdict: 'regional', regions: ['us-east'], at: NOW - 90 * MINUTE },
          ],
          incidentsResolved: [
            { id: 'inc-1', endedAt: NOW - HOUR, resolvedAt: NOW - HOUR, durationMs: 5 * HOUR },
          ],
        }),
      );
      const [after] = (await store.uptime(['m1'], [DAY], NOW)).get('m1') ?? [];
      assert.equal(after?.downMs, HOUR);
      assert.deepEqual(
        after?.regions.map((r) => [r.region, r.downMs]),
        [
          ['eu-west', 5 * HOUR],
          ['us-east', 5 * HOUR],
        ],
      );
    }));

  it('leaves paused time out, from the pause history the monitor updates write', () =>
    withStore(makeStore, async (store) => {
      const monitor = makeMonitor('m1', { createdAt: NOW - DAY, updatedAt: NOW - DAY });
      await store.insertMonitor(monitor);
      await store.updateMonitor({ ...monitor, paused: true, updatedAt: NOW - 5 * HOUR });
      // A change that keeps it paused records nothing.
      await store.updateMonitor({
        ...monitor,
        paused: true,
        name: 'x',
        updatedAt: NOW - 4.5 * HOUR,
      });
      await store.updateMonitor({ ...monitor, paused: false, updatedAt: NOW - 4 * HOUR });
      // Down for two hours, half of it while paused.
      await store.commitBatch(
        batch({
          incidentsOpened: [makeIncident('inc-1', 'm1', NOW - 6 * HOUR)],
          incidentsResolved: [
            {
              id: 'inc-1',
              endedAt: NOW - 4 * HOUR,
              resolvedAt: NOW - 4 * HOUR,
              durationMs: 2 * HOUR,
            },
          ],
        }),
      );
      const [day] = (await store.uptime(['m1'], [DAY], NOW)).get('m1') ?? [];
      assert.deepEqual([day?.observedMs, day?.downMs], [23 * HOUR, 2 * HOUR - HOUR]);

      // Paused again until now: the ongoing pause runs until now.
      await store.updateMonitor({ ...monitor, paused: true, updatedAt: NOW - HOUR });
      const [again] = (await store.uptime(['m1'], [DAY], NOW)).get('m1') ?? [];
      assert.equal(again?.observedMs, 22 * HOUR);
    }));

  it('counts a monitor created paused as paused from its creation', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1', { paused: true, createdAt: NOW - HOUR }));
      const [day] = (await store.uptime(['m1'], [DAY], NOW)).get('m1') ?? [];
      assert.deepEqual([day?.observedMs, day?.uptime], [0, null]);
    }));
}
