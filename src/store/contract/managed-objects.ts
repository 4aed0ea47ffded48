// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ManagedKind, ManagedRecord } from '../../domain/managed-object.ts';
import type { ConfigChange } from '../managed-store.ts';
import { makeRule, makeTarget } from './alert-targets.ts';
import type { MakeStore } from './fixtures.ts';
import { makeMonitor, withStore } from './fixtures.ts';
import { makeWindow } from './maintenance.ts';
import { makePage } from './status-pages.ts';

const NO_CHANGE: ConfigChange = {
  monitors: [],
  deleteMonitors: [],
  alertTargets: [],
  deleteAlertTargets: [],
  alertRules: [],
  deleteAlertRules: [],
  maintenance: [],
  deleteMaintenance: [],
  statusPages: [],
  deleteStatusPages: [],
  managed: [],
};

const record = (kind: ManagedKind, objectId: string): ManagedRecord => ({
  kind,
  objectId,
  source: 'crosscheck.yaml',
  key: objectId,
});

/** Config applies: one change writes every kind, and deletes every kind with its record. */
export function managedObjectContract(makeStore: MakeStore): void {
  it('deletes an object of every kind with its record; a kept object and an unknown id are left alone', () =>
    withStore(makeStore, async (store) => {
      await store.applyConfigChange({
        ...NO_CHANGE,
        alertTargets: [
          { op: 'insert', target: makeTarget('ops') },
          { op: 'insert', target: makeTarget('team') },
        ],
        alertRules: [{ op: 'insert', rule: makeRule('rule-1') }],
        monitors: [
          { op: 'insert', monitor: makeMonitor('m1') },
          { op: 'insert', monitor: makeMonitor('m2') },
        ],
        maintenance: [{ op: 'insert', window: makeWindow('w1') }],
        statusPages: [{ op: 'insert', page: makePage('p1') }],
        managed: [
          record('alert-target', 'tgt-ops'),
          record('alert-target', 'tgt-team'),
          record('alert-rule', 'rule-1'),
          record('monitor', 'm1'),
          record('monitor', 'm2'),
          record('maintenance', 'w1'),
          record('status-page', 'p1'),
        ],
      });
      assert.equal((await store.listManagedObjects()).length, 7);

      await store.applyConfigChange({
        ...NO_CHANGE,
        deleteAlertTargets: ['tgt-ops', 'tgt-ghost'],
        deleteAlertRules: ['rule-1', 'rule-ghost'],
        deleteMonitors: ['m1', 'm-ghost'],
        deleteMaintenance: ['w1', 'w-ghost'],
        deleteStatusPages: ['p1', 'p-ghost'],
      });
      assert.deepEqual(
        (await store.listAlertTargets()).map((t) => t.name),
        ['team'],
      );
      assert.deepEqual(await store.listAlertRules(), []);
      assert.deepEqual(
        (await store.listMonitors()).map((m) => m.id),
        ['m2'],
      );
      assert.deepEqual(await store.listMaintenanceWindows(), []);
      assert.deepEqual(await store.listStatusPages(), []);
      assert.deepEqual(
        (await store.listManagedObjects()).map((r) => `${r.kind} ${r.objectId}`),
        ['alert-target tgt-team', 'monitor m2'],
      );
    }));
}
