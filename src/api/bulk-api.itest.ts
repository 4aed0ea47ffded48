import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../observability/logger.ts';
import { OPERATIONS } from '../operations/registry.ts';
import type { MonitorChange } from '../services/events.ts';
import { createMonitorChangeBus } from '../services/events.ts';
import { MAX_BULK_ITEMS } from '../services/monitors/monitor-bulk.ts';
import { makeMonitor } from '../store/contract/fixtures.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { storeOperationServices } from '../../test/helpers/test-api.ts';
import { registerOperationRoutes } from './operation-routes.ts';
import { buildBareApiServer } from './server.ts';

interface BulkBody {
  written: number;
  results: {
    index: number;
    ok: boolean;
    monitor?: { id: string; name: string; intervalMs: number };
    error?: { code: string; message: string; issues: { path: string; message: string }[] };
  }[];
}

const tcp = (name: string, port = 1) => ({ name, type: 'tcp', target: `127.0.0.1:${port}` });
const creates = (count: number, prefix: string, extra: Record<string, unknown> = {}) =>
  Array.from({ length: count }, (_, i) => ({
    op: 'create',
    monitor: { ...tcp(`${prefix}-${i}`, 1 + (i % 60_000)), ...extra },
  }));

describe('monitors.bulk over REST: the cap, large bodies, atomic batches, duplicates', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let api: ReturnType<typeof buildBareApiServer>;
  const clock = new FakeClock();
  const changes: MonitorChange[] = [];

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    await store.insertMonitor(makeMonitor('m1', { name: 'API', alerts: [] }));
    const bus = createMonitorChangeBus();
    bus.subscribe((change) => changes.push(change));
    const services = storeOperationServices(store, clock, bus);
    api = buildBareApiServer(silentLogger());
    api.addHook('onRequest', (request, _reply, done) => {
      request.principal = {
        userId: 'alice',
        name: 'alice',
        role: 'editor',
        access: 'write',
        via: 'token',
      };
      done();
    });
    registerOperationRoutes(api, OPERATIONS, services);
    await api.ready();
  });

  after(async () => {
    await api.close();
    await cleanup();
  });

  /** Waits (a bounded number of turns) until `count` changes were delivered: bursts drain in slices. */
  async function delivered(count: number): Promise<void> {
    for (let turn = 0; turn < 10_000 && changes.length < count; turn++)
      await new Promise((resolve) => setImmediate(resolve));
  }

  const post = (payload: unknown) =>
    api.inject({ method: 'POST', url: '/api/v1/monitors/bulk', payload: payload as object });

  it(`takes ${MAX_BULK_ITEMS} items in one body over 1 MiB, each published once`, async () => {
    changes.length = 0;
    // A group and tags make the body larger than the server's default 1 MiB limit.
    const items = creates(MAX_BULK_ITEMS, 'cap', {
      group: 'g'.repeat(100),
      tags: ['bulk', 't'.repeat(64)],
    });
    const payload = JSON.stringify({ items, atomic: true });
    assert.ok(payload.length > 1_048_576, `the body is ${payload.length} bytes`);
    const response = await api.inject({
      method: 'POST',
      url: '/api/v1/monitors/bulk',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    assert.equal(response.statusCode, 200, response.body.slice(0, 500));
    const body = response.json<BulkBody>();
    assert.equal(body.written, MAX_BULK_ITEMS);
    assert.deepEqual(
      body.results.map((r) => r.index),
      items.map((_, i) => i),
      'one result per item, in order',
    );
    const ids = new Set(body.results.map((r) => r.monitor?.id));
    assert.equal(ids.size, MAX_BULK_ITEMS, 'every created monitor has its own id');
    assert.equal((await store.stats()).monitors, 1 + MAX_BULK_ITEMS);
    await delivered(MAX_BULK_ITEMS);
    assert.equal(changes.length, MAX_BULK_ITEMS);
    assert.ok(changes.every((c) => c.type === 'upserted'));
  });

  it('refuses one item over the cap as a whole, naming items', async () => {
    const before = (await store.stats()).monitors;
    const response = await post({ items: creates(MAX_BULK_ITEMS + 1, 'over') });
    assert.equal(response.statusCode, 400, response.body.slice(0, 300));
    const error = response.json<{ error: { code: string; issues: { path: string }[] } }>().error;
    assert.equal(error.code, 'VALIDATION');
    assert.deepEqual(
      error.issues.map((i) => i.path),
      ['items'],
    );
    assert.equal((await store.stats()).monitors, before, 'nothing written');
  });

  it('atomic: one bad item among thousands writes none, and names that item', async () => {
    const before = (await store.stats()).monitors;
    changes.length = 0;
    const items: unknown[] = creates(3_000, 'atomic');
    items[1_234] = { op: 'create', monitor: { ...tcp('bad'), intervalMs: 'often' } };
    const body = (await post({ items, atomic: true })).json<BulkBody>();
    assert.equal(body.written, 0);
    const failedFor = body.results.filter((r) => r.error?.code === 'VALIDATION');
    assert.deepEqual(
      failedFor.map((r) => [r.index, r.error?.issues.map((i) => i.path)]),
      [[1_234, ['monitor.intervalMs']]],
    );
    assert.ok(
      body.results
        .filter((r) => r.index !== 1_234)
        .every((r) => r.error?.code === 'CONFLICT' && r.error.message.includes('1234')),
    );
    assert.equal((await store.stats()).monitors, before);
    assert.equal(changes.length, 0, 'nothing published');
  });

  it('not atomic: the same request writes every valid item', async () => {
    const before = (await store.stats()).monitors;
    changes.length = 0;
    const items: unknown[] = creates(3_000, 'partial');
    items[7] = { op: 'create', monitor: { type: 'tcp', target: '127.0.0.1:1' } };
    const body = (await post({ items })).json<BulkBody>();
    assert.equal(body.written, 2_999);
    assert.deepEqual(
      body.results.filter((r) => !r.ok).map((r) => [r.index, r.error?.issues[0]?.path]),
      [[7, 'monitor.name']],
    );
    assert.equal((await store.stats()).monitors, before + 2_999);
    await delivered(2_999);
    assert.equal(changes.length, 2_999);
  });

  it('duplicates within a batch: same names are separate monitors, repeated updates merge', async () => {
    changes.length = 0;
    const body = (
      await post({
        atomic: true,
        items: [
          { op: 'create', monitor: tcp('twin') },
          { op: 'create', monitor: tcp('twin') },
          { op: 'update', id: 'm1', patch: { name: 'API v2' } },
          { op: 'update', id: 'm1', patch: { intervalMs: '45s' } },
        ],
      })
    ).json<BulkBody>();
    assert.deepEqual(
      body.results.map((r) => r.ok),
      [true, true, true, true],
    );
    assert.equal(body.written, 3, 'two creates and one write of m1');
    const [first, second] = body.results.map((r) => r.monitor?.id);
    assert.notEqual(first, second);
    await delivered(3);
    const m1 = await store.getMonitor('m1');
    assert.deepEqual([m1?.name, m1?.intervalMs], ['API v2', 45_000]);
    assert.equal(changes.filter((c) => c.type === 'upserted' && c.monitor.id === 'm1').length, 1);
  });
});
