import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configFileSchema } from './schema.ts';
import { isAppError } from '../lib/errors.ts';
import { buildMonitor } from '../services/monitors/monitor-input.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { createMonitorChangeBus } from '../services/events.ts';
import type { ConfigService } from './config-service.ts';
import { createConfigService } from './config-service.ts';

const file = (monitors: Record<string, unknown>[]) =>
  configFileSchema.parse({ version: 1, monitors });
const options = { source: 'crosscheck.yaml', prune: false, dryRun: false };
const NO_ALERTING_CHANGE = {
  alertTargets: [],
  deleteAlertTargets: [],
  alertRules: [],
  deleteAlertRules: [],
  maintenance: [],
  deleteMaintenance: [],
  statusPages: [],
  deleteStatusPages: [],
};

describe('config service on a real SQLite store', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let service: ConfigService;
  let counter = 0;

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    service = createConfigService({
      store,
      clock: new FakeClock(Date.UTC(2026, 0, 1)),
      changes: createMonitorChangeBus(),
      newId: () => `mon-${++counter}`,
    });
  });
  after(() => cleanup());

  it('writes monitors and their managed records, and a second apply changes nothing', async () => {
    const config = file([
      { key: 'api', name: 'API', type: 'tcp', target: '127.0.0.1:80' },
      { name: 'db', type: 'tcp', target: '127.0.0.1:5432' },
    ]);
    const first = await service.apply(config, options);
    assert.equal(first.written, true);
    assert.deepEqual(
      (await store.listManagedObjects()).map((r) => [r.key, r.source]),
      [
        ['api', 'crosscheck.yaml'],
        ['db', 'crosscheck.yaml'],
      ],
    );
    const second = await service.apply(config, options);
    assert.equal(second.written, false);
    assert.equal(second.plan.monitors.unchanged.length, 2);
    // Pages (how an apply reads them) give the whole list in order.
    const firstPage = await store.listManagedObjects({ limit: 1 });
    const rest = await store.listManagedObjects({ limit: 5, after: firstPage[0] });
    assert.deepEqual([...firstPage, ...rest], await store.listManagedObjects());
  });

  it('reads the records of many objects in one set-based call, by id or by key', async () => {
    const records = await store.listManagedObjects();
    const ids = records.map((r) => r.objectId);
    const byId = await service.managedAmong('monitor', { objectIds: [...ids, 'mon_unmanaged'] });
    assert.deepEqual(byId.map((r) => r.key).sort(), ['api', 'db']);
    const byKey = await service.managedAmong('monitor', { keys: ['db', 'nope'] });
    assert.deepEqual(
      byKey.map((r) => r.objectId),
      records.filter((r) => r.key === 'db').map((r) => r.objectId),
    );
    assert.deepEqual(await service.managedAmong('alert-target', { objectIds: ids }), []);
    assert.deepEqual(await service.managedAmong('monitor', { objectIds: [] }), []);
  });

  it('dry run writes nothing', async () => {
    const before = await store.listMonitors();
    const outcome = await service.apply(
      file([{ name: 'extra', type: 'tcp', target: '127.0.0.1:1' }]),
      { ...options, dryRun: true, prune: true },
    );
    assert.equal(outcome.plan.monitors.create.length, 1);
    assert.equal(outcome.plan.monitors.delete.length, 2);
    assert.deepEqual(await store.listMonitors(), before);
  });

  it('writes all of a change or none of it', async () => {
    const monitorsBefore = await store.listMonitors();
    const managedBefore = await store.listManagedObjects();
    const fresh = buildMonitor({ name: 'new', type: 'tcp', target: '127.0.0.1:2' }, 'mon-new', 1);
    const missing = buildMonitor(
      { name: 'gone', type: 'tcp', target: '127.0.0.1:3' },
      'mon-gone',
      1,
    );
    await assert.rejects(
      store.applyConfigChange({
        ...NO_ALERTING_CHANGE,
        deleteMonitors: [monitorsBefore[0]?.id ?? ''],
        monitors: [
          { op: 'insert', monitor: fresh },
          { op: 'update', monitor: missing },
        ],
        managed: [{ kind: 'monitor', objectId: 'mon-new', source: 'crosscheck.yaml', key: 'new' }],
      }),
      (error: unknown) => isAppError(error) && error.code === 'NOT_FOUND',
    );
    assert.deepEqual(await store.listMonitors(), monitorsBefore);
    assert.deepEqual(await store.listManagedObjects(), managedBefore);
  });

  it('names unknown alert targets by path and writes nothing', async () => {
    const config = file([
      { name: 'web', type: 'tcp', target: '127.0.0.1:8080', alerts: [{ target: 'nope' }] },
    ]);
    await assert.rejects(service.apply(config, options), (error: unknown) => {
      assert.ok(isAppError(error));
      assert.deepEqual(error.issues, [
        { path: 'document.monitors.0.alerts.0.target', message: 'no alert target named "nope"' },
      ]);
      return true;
    });
    assert.equal((await store.listMonitors()).length, 2);
  });

  it('forgets a managed record when its monitor is deleted elsewhere, and recreates it on apply', async () => {
    const [record] = await store.listManagedObjects();
    assert.ok(record);
    await store.deleteMonitor(record.objectId);
    assert.equal(await store.getManagedObject('monitor', record.objectId), undefined);
    const outcome = await service.apply(
      file([
        { key: 'api', name: 'API', type: 'tcp', target: '127.0.0.1:80' },
        { name: 'db', type: 'tcp', target: '127.0.0.1:5432' },
      ]),
      options,
    );
    assert.deepEqual(
      outcome.plan.monitors.create.map((c) => c.key),
      [record.key],
    );
  });
});

describe('config service, two applies at once', () => {
  it('plans the second against what the first wrote: each monitor is created once', async () => {
    const { store, cleanup } = await tempSqliteStore();
    let counter = 0;
    const service = createConfigService({
      store,
      clock: new FakeClock(Date.UTC(2026, 0, 1)),
      changes: createMonitorChangeBus(),
      newId: () => `mon-${++counter}`,
    });
    try {
      // Enough entries that each apply spans several turns of the event loop.
      const config = file(
        Array.from({ length: 2_500 }, (_, i) => ({
          name: `m${i}`,
          type: 'tcp',
          target: `127.0.0.1:${1 + i}`,
        })),
      );
      const [first, second] = await Promise.all([
        service.apply(config, options),
        service.apply(config, options),
      ]);
      assert.deepEqual([first.written, second.written], [true, false]);
      assert.equal(second.plan.monitors.unchanged.length, 2_500);
      assert.equal((await store.listMonitors({ limit: 5_000 })).length, 2_500);
    } finally {
      await cleanup();
    }
  });
});
