import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Monitor } from '../domain/monitor.ts';
import { createMonitorChangeBus } from '../services/events.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { storeOperationServices, testApiServer } from '../../test/helpers/test-api.ts';
import type { ApiErrorBody } from './errors.ts';

// A JSON `null` body used to be read as "no body": a PATCH of null answered 200 and changed
// nothing. Every PATCH route now refuses it with a 400 naming the body (issue #15).

describe('a null body over real HTTP', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let api: FastifyInstance;
  let origin: string;

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    api = testApiServer(storeOperationServices(store, new FakeClock(), createMonitorChangeBus()));
    await api.listen({ host: '127.0.0.1', port: 0 });
    origin = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await api.close();
    await cleanup();
  });

  const send = (method: string, path: string, body: string) =>
    fetch(`${origin}${path}`, { method, headers: { 'content-type': 'application/json' }, body });

  it('PATCH of a monitor with null is a 400 naming the body; the monitor is unchanged', async () => {
    const created = await send(
      'POST',
      '/api/v1/monitors',
      JSON.stringify({ name: 'web', type: 'tcp', target: '127.0.0.1:9' }),
    );
    assert.equal(created.status, 201);
    const monitor = (await created.json()) as Monitor;
    const response = await send('PATCH', `/api/v1/monitors/${monitor.id}`, 'null');
    assert.equal(response.status, 400);
    const { error } = (await response.json()) as ApiErrorBody;
    assert.equal(error.code, 'VALIDATION');
    assert.deepEqual(error.issues, [{ path: 'body', message: 'expected a JSON object, got null' }]);
    const after = (await (
      await fetch(`${origin}/api/v1/monitors/${monitor.id}`)
    ).json()) as Monitor;
    assert.equal(after.updatedAt, monitor.updatedAt);
  });

  it('every other PATCH route refuses null the same way', async () => {
    for (const path of [
      '/api/v1/users/usr_x',
      '/api/v1/maintenance/mw_x',
      '/api/v1/alert-targets/ops',
      '/api/v1/status-pages/sp_x',
    ]) {
      const response = await send('PATCH', path, 'null');
      assert.equal(response.status, 400, path);
      const { error } = (await response.json()) as ApiErrorBody;
      assert.match(error.message, /body: expected a JSON object, got null/, path);
    }
  });

  it('an empty PATCH object is still accepted', async () => {
    const list = (await (await fetch(`${origin}/api/v1/monitors`)).json()) as { items: Monitor[] };
    const [monitor] = list.items;
    assert.ok(monitor);
    const response = await send('PATCH', `/api/v1/monitors/${monitor.id}`, '{}');
    assert.equal(response.status, 200);
  });
});
