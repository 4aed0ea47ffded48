// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { MakeStore } from './fixtures.ts';
import { DAY, T0, makeMonitor, rejectsWithCode, withStore } from './fixtures.ts';

/** `saveMonitors`: many monitor writes in one transaction, all or nothing. */
export function bulkMonitorContract(makeStore: MakeStore): void {
  it('inserts and updates many monitors with one config version bump', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('old'));
      const version = await store.configVersion();
      const renamed = makeMonitor('old', { name: 'Renamed', paused: true, updatedAt: T0 + DAY });
      await store.saveMonitors([
        { op: 'insert', monitor: makeMonitor('n1') },
        { op: 'update', monitor: renamed },
        { op: 'insert', monitor: makeMonitor('n2', { tags: [] }) },
      ]);
      assert.equal(await store.configVersion(), version + 1);
      assert.deepEqual(await store.getMonitor('old'), renamed);
      assert.deepEqual(await store.getMonitor('n2'), makeMonitor('n2', { tags: [] }));
      assert.equal((await store.listMonitors()).length, 3);
      await store.saveMonitors([]);
    }));

  it('keeps what monitors depend on, and lists only monitors that depend on something', () =>
    withStore(makeStore, async (store) => {
      const child = makeMonitor('child', { group: 'web', dependsOn: ['parent', 'group:core'] });
      await store.saveMonitors([
        { op: 'insert', monitor: makeMonitor('parent', { group: 'core' }) },
        { op: 'insert', monitor: child },
      ]);
      assert.deepEqual(await store.getMonitor('child'), child);
      assert.deepEqual(await store.listDependencyNodes(), [
        { id: 'child', name: child.name, group: 'web', dependsOn: ['parent', 'group:core'] },
      ]);
      assert.deepEqual([...(await store.existingMonitorIds(['parent', 'gone', 'child']))].sort(), [
        'child',
        'parent',
      ]);
    }));

  it('writes nothing when one write fails (a taken id, a missing monitor)', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('taken'));
      const version = await store.configVersion();
      await rejectsWithCode(
        store.saveMonitors([
          { op: 'insert', monitor: makeMonitor('fresh') },
          { op: 'update', monitor: makeMonitor('taken', { name: 'Changed' }) },
          { op: 'insert', monitor: makeMonitor('taken') },
        ]),
        'CONFLICT',
      );
      await rejectsWithCode(
        store.saveMonitors([
          { op: 'insert', monitor: makeMonitor('fresh') },
          { op: 'update', monitor: makeMonitor('gone') },
        ]),
        'NOT_FOUND',
      );
      await rejectsWithCode(
        store.saveMonitors([
          { op: 'insert', monitor: makeMonitor('twice') },
          { op: 'insert', monitor: makeMonitor('twice') },
        ]),
        'CONFLICT',
      );
      assert.deepEqual(
        (await store.listMonitors()).map((m) => [m.id, m.name]),
        [['taken', 'Monitor taken']],
        'rolled back',
      );
      assert.equal(await store.configVersion(), version);
    }));
}
