import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../observability/logger.ts';
import { T0, batch, makeMonitor, makeState } from '../store/contract/fixtures.ts';
import type { Store } from '../store/types.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { createCoordinatorOverview } from './coordinator-overview.ts';

void describe('coordinator overview reload', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
  });
  after(() => cleanup());

  it('catches up with monitors and states changed behind its back', async () => {
    await store.insertMonitor(makeMonitor('kept'));
    await store.insertMonitor(makeMonitor('deleted'));
    await store.commitBatch(batch({ states: [makeState('kept'), makeState('deleted')] }));
    const overview = createCoordinatorOverview({
      store,
      now: () => T0,
      logger: silentLogger(),
      monitors: await store.listMonitors(),
      states: await store.listStates(),
    });
    assert.equal(overview.index.size, 2);

    // Another coordinator's writes, announced to nobody here.
    await store.deleteMonitor('deleted');
    await store.insertMonitor(makeMonitor('created', { name: 'Created elsewhere' }));
    await store.commitBatch(batch({ states: [makeState('kept', { status: 'down' })] }));
    await overview.reload();

    const rows = new Map(overview.index.rows().map((row) => [row.monitor.id, row]));
    assert.deepEqual([...rows.keys()].sort(), ['created', 'kept']);
    assert.equal(rows.get('created')?.monitor.name, 'Created elsewhere');
    assert.equal(rows.get('kept')?.state, 'down');
    const uptime = await overview.uptime.dayUptime(T0);
    assert.deepEqual([...uptime.keys()].sort(), ['created', 'kept']);
  });
});
