// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MakeStore } from './fixtures.ts';
import {
  DAY,
  T0,
  batch,
  makeDelivery,
  makeIncident,
  makeMonitor,
  makeResult,
  makeState,
  rejectsWithCode,
  withStore,
} from './fixtures.ts';

/** Monitor CRUD, JSON round-trips and cascade delete. */
export function monitorContract(makeStore: MakeStore): void {
  it('round-trips every monitor field, nested JSON included', () =>
    withStore(makeStore, async (store) => {
      const monitor = makeMonitor('m1', { degradedIsDown: true, paused: true, group: null });
      await store.insertMonitor(monitor);
      assert.deepEqual(await store.getMonitor('m1'), monitor);
      assert.equal(await store.getMonitor('missing'), undefined);
    }));

  it('rejects a second monitor with the same id as CONFLICT', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      await rejectsWithCode(store.insertMonitor(makeMonitor('m1', { name: 'other' })), 'CONFLICT');
      assert.equal((await store.getMonitor('m1'))?.name, 'Monitor m1');
    }));

  it('updates every field and reports NOT_FOUND for an unknown id', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const changed = makeMonitor('m1', {
        name: 'Renamed',
        type: 'tcp',
        target: '127.0.0.1:5432',
        intervalMs: 30_000,
        timeoutMs: 2_000,
        group: null,
        tags: [],
        options: { note: 'replaced', nested: { list: [1, 2, 3] } },
        failureThreshold: 5,
        recoveryThreshold: 1,
        degradedIsDown: true,
        paused: true,
        alerts: [],
        alertCooldownMs: 0,
        updatedAt: T0 + DAY,
      });
      await store.updateMonitor(changed);
      assert.deepEqual(await store.getMonitor('m1'), changed);
      await rejectsWithCode(store.updateMonitor(makeMonitor('nope')), 'NOT_FOUND');
    }));

  it('lists monitors by name and filters by group and tag', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('c', { name: 'Charlie', group: 'db', tags: ['eu'] }));
      await store.insertMonitor(makeMonitor('a', { name: 'Alpha', group: 'web', tags: ['us'] }));
      await store.insertMonitor(
        makeMonitor('b', { name: 'Bravo', group: 'web', tags: ['eu', 'x'] }),
      );
      const ids = async (filter?: Parameters<typeof store.listMonitors>[0]) =>
        (await store.listMonitors(filter)).map((m) => m.id);
      assert.deepEqual(await ids(), ['a', 'b', 'c']);
      assert.deepEqual(await ids({ group: 'web' }), ['a', 'b']);
      assert.deepEqual(await ids({ tag: 'eu' }), ['b', 'c']);
      assert.deepEqual(await ids({ group: 'web', tag: 'eu' }), ['b']);
      assert.deepEqual(await ids({ tag: 'e' }), [], 'a tag matches whole, not as a substring');
    }));

  it('deletes a monitor with its results, state, incidents and rollups, keeping its alert log', () =>
    withStore(makeStore, async (store) => {
      for (const id of ['gone', 'kept']) {
        await store.insertMonitor(makeMonitor(id));
        await store.commitBatch(
          batch({
            results: [makeResult(id, T0, 'down'), makeResult(id, T0 + 1000)],
            states: [makeState(id)],
            incidentsOpened: [makeIncident(`inc-${id}`, id, T0)],
            alerts: [makeDelivery(`d-${id}`, id)],
          }),
        );
      }
      await store.rollup();

      assert.equal(await store.deleteMonitor('gone'), true);
      assert.equal(await store.deleteMonitor('gone'), false);

      assert.equal(await store.getMonitor('gone'), undefined);
      assert.deepEqual(await store.listResults({ monitorId: 'gone' }), []);
      assert.deepEqual(await store.listIncidents({ monitorId: 'gone' }), []);
      // The alert log outlives the monitor; the unsent alert says why it never went out.
      assert.deepEqual(
        (await store.listAlertDeliveries({ monitorId: 'gone' })).map((d) => [
          d.id,
          d.status,
          d.reason,
        ]),
        [['d-gone', 'suppressed', 'monitor-deleted']],
      );
      assert.deepEqual(await store.listRollups('minute', 'gone', 0), []);
      assert.deepEqual(await store.listRollups('hour', 'gone', 0), []);
      assert.deepEqual(await store.listRollups('day', 'gone', 0), []);
      assert.deepEqual(
        (await store.listStates()).map((s) => s.monitorId),
        ['kept'],
      );

      assert.equal((await store.listResults({ monitorId: 'kept' })).length, 2);
      assert.equal((await store.listIncidents({ monitorId: 'kept' })).length, 1);
      assert.equal((await store.listAlertDeliveries({ monitorId: 'kept' })).length, 1);
      assert.equal((await store.listRollups('hour', 'kept', 0)).length, 1);
      assert.equal((await store.listRollups('day', 'kept', 0)).length, 1);
      assert.deepEqual(await store.stats().then((s) => [s.monitors, s.results]), [1, 2]);
    }));
}
