// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Incident } from '../../domain/incident.ts';
import type { MakeStore } from './fixtures.ts';
import { HOUR, MINUTE, T0, batch, makeIncident, makeMonitor, withStore } from './fixtures.ts';

/** Incident opening and resolution through commitBatch, replays included. */
export function incidentContract(makeStore: MakeStore): void {
  it('opens an incident and resolves it in a later batch', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const opened = makeIncident('inc-1', 'm1', T0);
      await store.commitBatch(batch({ incidentsOpened: [opened] }));
      assert.deepEqual(await store.getIncident('inc-1'), opened);
      assert.deepEqual(await store.listIncidents({ active: true }), [opened]);

      const resolution = {
        id: 'inc-1',
        endedAt: T0 + HOUR,
        resolvedAt: T0 + HOUR + MINUTE,
        durationMs: HOUR,
      };
      await store.commitBatch(batch({ incidentsResolved: [resolution] }));
      const resolved: Incident = {
        ...opened,
        status: 'resolved',
        endedAt: resolution.endedAt,
        resolvedAt: resolution.resolvedAt,
        durationMs: resolution.durationMs,
      };
      assert.deepEqual(await store.getIncident('inc-1'), resolved);
      assert.deepEqual(await store.listIncidents({ active: true }), []);
      assert.deepEqual(await store.listIncidents(), [resolved]);
      assert.equal((await store.stats()).openIncidents, 0);
      assert.equal(await store.getIncident('missing'), undefined);
    }));

  it('never reopens or rewrites an incident when old batches are replayed', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const opened = makeIncident('inc-1', 'm1', T0);
      const resolution = {
        id: 'inc-1',
        endedAt: T0 + HOUR,
        resolvedAt: T0 + HOUR,
        durationMs: HOUR,
      };
      await store.commitBatch(batch({ incidentsOpened: [opened] }));
      await store.commitBatch(batch({ incidentsResolved: [resolution] }));

      await store.commitBatch(batch({ incidentsOpened: [opened] }));
      await store.commitBatch(
        batch({ incidentsResolved: [{ ...resolution, endedAt: T0 + 2 * HOUR, durationMs: 1 }] }),
      );
      // The same outage under another id (a coordinator that restarted mid-round).
      await store.commitBatch(batch({ incidentsOpened: [makeIncident('inc-dup', 'm1', T0)] }));

      const all = await store.listIncidents();
      assert.equal(all.length, 1);
      assert.equal(all[0]?.status, 'resolved');
      assert.equal(all[0]?.endedAt, T0 + HOUR);
    }));

  it('opens and resolves within one batch', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(
        batch({
          incidentsOpened: [makeIncident('inc-1', 'm1', T0)],
          incidentsResolved: [{ id: 'inc-1', endedAt: T0 + 5, resolvedAt: T0 + 6, durationMs: 5 }],
        }),
      );
      assert.equal((await store.getIncident('inc-1'))?.status, 'resolved');
    }));

  it('lists incidents newest first, by monitor, with a limit', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await store.insertMonitor(makeMonitor('m2'));
      await store.commitBatch(
        batch({
          incidentsOpened: [
            // At most one open incident per monitor: the older one of m1 is already over.
            {
              ...makeIncident('a', 'm1', T0),
              status: 'resolved',
              endedAt: T0 + 1,
              resolvedAt: T0 + 1,
            },
            makeIncident('b', 'm1', T0 + HOUR),
            makeIncident('c', 'm2', T0 + 2 * HOUR),
          ],
        }),
      );
      const ids = async (filter?: Parameters<typeof store.listIncidents>[0]) =>
        (await store.listIncidents(filter)).map((i) => i.id);
      assert.deepEqual(await ids(), ['c', 'b', 'a']);
      assert.deepEqual(await ids({ monitorId: 'm1' }), ['b', 'a']);
      assert.deepEqual(await ids({ limit: 1 }), ['c']);
      assert.deepEqual(await ids({ active: false }), ['c', 'b', 'a'], 'active: false is no filter');
    }));
}
