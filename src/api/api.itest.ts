import { isTargetRoute, type AlertRoute, type InlineRoute } from '../domain/alert-target.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../domain/monitor.ts';
import { createMonitorChangeBus } from '../services/events.ts';
import type { MonitorChange } from '../services/events.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import type { ApiErrorBody } from './errors.ts';
import type { Authenticate } from './server.ts';
import { localTokenAuthenticator } from './auth.ts';
import { storeOperationServices, testApiServer } from '../../test/helpers/test-api.ts';

type Api = ReturnType<typeof testApiServer>;

function postMonitor(api: Api, payload: object) {
  return api.inject({ method: 'POST', url: '/api/v1/monitors', payload });
}

function patchMonitor(api: Api, id: string, payload: object) {
  return api.inject({ method: 'PATCH', url: `/api/v1/monitors/${id}`, payload });
}

/** A route stored inline (this API is built without the target service, which converts them). */
function inline(route: AlertRoute | undefined): InlineRoute {
  assert.ok(route !== undefined && !isTargetRoute(route), 'an inline route');
  return route;
}

describe('HTTP API over a real SQLite store', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  const clock = new FakeClock();
  const changes: MonitorChange[] = [];

  function app(authenticate?: Authenticate) {
    const bus = createMonitorChangeBus();
    bus.subscribe((change) => changes.push(change));
    return testApiServer(storeOperationServices(store, clock, bus), authenticate);
  }

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
  });
  after(() => cleanup());

  it('compresses large answers for clients that accept it, and only those', async () => {
    const api = app();
    for (let i = 0; i < 20; i++)
      assert.equal(
        (await postMonitor(api, { name: `zip-${i}`, type: 'tcp', target: '127.0.0.1:9' }))
          .statusCode,
        201,
      );
    const plain = await api.inject({ method: 'GET', url: '/api/v1/monitors' });
    assert.equal(plain.headers['content-encoding'], undefined);
    const zipped = await api.inject({
      method: 'GET',
      url: '/api/v1/monitors',
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.ok(zipped.rawPayload.length < plain.rawPayload.length / 2, 'gzip shrinks the JSON');
    const { gunzipSync } = await import('node:zlib');
    assert.deepEqual(JSON.parse(gunzipSync(zipped.rawPayload).toString()), plain.json());
    for (let i = 0; i < 20; i++) {
      const listed: { items: { id: string; name: string }[] } = plain.json();
      const id = listed.items.find((m) => m.name === `zip-${i}`)?.id;
      assert.ok(id);
      await api.inject({ method: 'DELETE', url: `/api/v1/monitors/${id}` });
    }
  });

  it('creates, reads, updates, pauses and deletes a monitor, publishing each change', async () => {
    const api = app();
    const created = await postMonitor(api, {
      name: 'Site',
      type: 'http',
      target: 'http://127.0.0.1:9/',
      intervalMs: '30s',
      timeoutMs: 5000,
      tags: ['prod'],
    });
    assert.equal(created.statusCode, 201, created.body);
    const monitor = created.json<Monitor>();
    assert.equal(monitor.intervalMs, 30_000);
    assert.equal(monitor.failureThreshold, 2);
    assert.deepEqual(changes.at(-1), { type: 'upserted', monitor });

    const patched = await patchMonitor(api, monitor.id, { intervalMs: '1m' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json<Monitor>().intervalMs, 60_000);

    const paused = await api.inject({
      method: 'POST',
      url: `/api/v1/monitors/${monitor.id}/pause`,
    });
    assert.equal(paused.json<Monitor>().paused, true);
    const status = await api.inject({ method: 'GET', url: '/api/v1/status' });
    assert.equal(status.json<{ items: { status: string }[] }>().items[0]?.status, 'paused');

    const removed = await api.inject({ method: 'DELETE', url: `/api/v1/monitors/${monitor.id}` });
    assert.equal(removed.statusCode, 204);
    assert.deepEqual(changes.at(-1), { type: 'removed', id: monitor.id });
    const gone = await api.inject({ method: 'GET', url: `/api/v1/monitors/${monitor.id}` });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json<ApiErrorBody>().error.code, 'NOT_FOUND');
  });

  it('rejects bad bodies naming every field and the reason, and stores nothing', async () => {
    const api = app();
    const response = await postMonitor(api, {
      name: '',
      type: 'http',
      target: 'ftp://x',
      intervalMs: '0s',
      bogus: 1,
    });
    assert.equal(response.statusCode, 400);
    const body = response.json<ApiErrorBody>();
    assert.equal(body.error.code, 'VALIDATION');
    const paths = body.error.issues.map((i) => i.path);
    assert.ok(paths.includes('name'), paths.join());
    assert.ok(paths.includes('intervalMs'), paths.join());
    assert.ok(
      paths.some((p) => p === '' || p.includes('bogus')) || body.error.message.includes('bogus'),
      JSON.stringify(body),
    );

    const badTarget = await postMonitor(api, { name: 'x', type: 'http', target: 'ftp://x' });
    assert.equal(badTarget.statusCode, 400);
    assert.equal(badTarget.json<ApiErrorBody>().error.issues[0]?.path, 'target');

    const timeout = await postMonitor(api, {
      name: 'x',
      type: 'tcp',
      target: '127.0.0.1:1',
      intervalMs: 5000,
      timeoutMs: 10_000,
    });
    assert.equal(timeout.statusCode, 400);
    assert.equal(timeout.json<ApiErrorBody>().error.issues[0]?.path, 'timeoutMs');

    const hook = await postMonitor(api, {
      name: 'x',
      type: 'tcp',
      target: '127.0.0.1:1',
      alerts: [{ channel: 'webhook', settings: { url: 'nope' } }],
    });
    assert.equal(hook.statusCode, 400);
    assert.match(hook.json<ApiErrorBody>().error.issues[0]?.path ?? '', /^alerts/);

    const notJson = await api.inject({
      method: 'POST',
      url: '/api/v1/monitors',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    assert.equal(notJson.statusCode, 400);
    assert.equal(notJson.json<ApiErrorBody>().error.code, 'VALIDATION');

    const badQuery = await api.inject({ method: 'GET', url: '/api/v1/results?since=banana' });
    assert.equal(badQuery.statusCode, 400);
    assert.equal(badQuery.json<ApiErrorBody>().error.issues[0]?.path, 'query.since');

    assert.equal((await store.listMonitors()).length, 0, 'nothing half-written');
  });

  it('masks alert secrets in every response', async () => {
    const api = app();
    const created = await postMonitor(api, {
      name: 'Hooked',
      type: 'tcp',
      target: '127.0.0.1:1',
      alerts: [
        {
          channel: 'webhook',
          settings: { url: 'http://127.0.0.1:1/hook', secret: 'a-very-secret-value-123' },
        },
      ],
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.doesNotMatch(created.body, /a-very-secret-value-123/);
    const stored = await store.getMonitor(created.json<Monitor>().id);
    assert.equal(
      inline(stored?.alerts[0]).settings.secret,
      'a-very-secret-value-123',
      'the store keeps the real secret',
    );
  });

  it('merges options key by key on update and masks credential headers', async () => {
    const api = app();
    const created = await postMonitor(api, {
      name: 'Keyword',
      type: 'http_keyword',
      target: 'http://127.0.0.1:9/',
      options: {
        keyword: 'ok',
        headers: ['Authorization: Bearer t0ken-value', 'Accept: text/html'],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.doesNotMatch(created.body, /t0ken-value/);
    const id = created.json<Monitor>().id;

    const patched = await patchMonitor(api, id, { options: { expectedStatus: '200' } });
    assert.equal(patched.statusCode, 200, patched.body);
    const stored = await store.getMonitor(id);
    assert.equal(stored?.options.keyword, 'ok', 'options not given are kept');
    assert.deepEqual(stored?.options.expectedStatus, ['200']);
    assert.equal(
      Object.values(stored?.options.headers as Record<string, string>).includes(
        'Bearer t0ken-value',
      ),
      true,
      'the stored header keeps its real value',
    );

    const retyped = await patchMonitor(api, id, { type: 'tcp', target: '127.0.0.1:9' });
    assert.equal(retyped.statusCode, 200, retyped.body);
    assert.deepEqual(
      (await store.getMonitor(id))?.options,
      {},
      'tcp has none of the http_keyword options, so none are kept',
    );
  });

  it('keeps shared options across a type change and lets keyword and regex replace each other', async () => {
    const api = app();
    const created = await postMonitor(api, {
      name: 'Plain',
      type: 'http',
      target: 'http://127.0.0.1:9/',
      options: { headers: ['X-A: 1'], expectedStatus: '200' },
    });
    const id = created.json<Monitor>().id;
    const toKeyword = await patchMonitor(api, id, {
      type: 'http_keyword',
      options: { keyword: 'hello' },
    });
    assert.equal(toKeyword.statusCode, 200, toKeyword.body);
    let stored = await store.getMonitor(id);
    assert.deepEqual(
      stored?.options.expectedStatus,
      ['200'],
      'http options survive the type change',
    );
    assert.equal(Object.keys(stored?.options.headers as object).length, 1);
    assert.equal(stored?.options.keyword, 'hello');

    const toRegex = await patchMonitor(api, id, { options: { regex: 'hel+o' } });
    assert.equal(toRegex.statusCode, 200, toRegex.body);
    stored = await store.getMonitor(id);
    assert.equal(stored?.options.regex, 'hel+o');
    assert.equal(stored?.options.keyword, undefined, 'the regex replaced the keyword');
  });

  it('round-trips consensus settings and regional routes, merging a PATCH key by key', async () => {
    const api = app();
    const created = await postMonitor(api, {
      name: 'Quorum',
      type: 'tcp',
      target: '127.0.0.1:1',
      consensus: { quorum: 'n_of_m', requiredFailures: 2, flapWindowMs: '10m' },
      regionalAlerts: [
        {
          channel: 'webhook',
          settings: { url: 'http://127.0.0.1:1/regional', secret: 'regional-secret-value-1' },
        },
      ],
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.doesNotMatch(created.body, /regional-secret-value-1/);
    const id = created.json<Monitor>().id;
    const read = (
      await api.inject({ method: 'GET', url: `/api/v1/monitors/${id}` })
    ).json<Monitor>();
    assert.deepEqual(read.consensus, {
      quorum: 'n_of_m',
      requiredFailures: 2,
      requiredPercent: null,
      minResponders: 2,
      flapChanges: 4,
      flapWindowMs: 600_000,
    });
    assert.equal(inline(read.regionalAlerts[0]).settings.url, 'http://127.0.0.1:1/regional');
    assert.equal(inline(read.regionalAlerts[0]).settings.secret, '***');
    assert.equal(
      inline((await store.getMonitor(id))?.regionalAlerts[0]).settings.secret,
      'regional-secret-value-1',
    );

    const patched = await patchMonitor(api, id, { consensus: { minResponders: 3 } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual((await store.getMonitor(id))?.consensus, {
      ...read.consensus,
      minResponders: 3,
    });
    const toMajority = await patchMonitor(api, id, { consensus: { quorum: 'majority' } });
    assert.equal(toMajority.json<Monitor>().consensus.requiredFailures, null);

    const bad = await patchMonitor(api, id, {
      consensus: { quorum: 'n_of_m', minResponders: 0 },
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(
      bad
        .json<ApiErrorBody>()
        .error.issues.map((i) => i.path)
        .sort(),
      ['consensus.minResponders'],
    );
    const noN = await patchMonitor(api, id, { consensus: { quorum: 'n_of_m' } });
    assert.equal(noN.statusCode, 400);
    assert.equal(noN.json<ApiErrorBody>().error.issues[0]?.path, 'consensus.requiredFailures');

    const toPercent = await patchMonitor(api, id, {
      consensus: { quorum: 'percent', requiredPercent: 34 },
    });
    assert.equal(toPercent.statusCode, 200, toPercent.body);
    assert.equal((await store.getMonitor(id))?.consensus.requiredPercent, 34);
    const noP = await patchMonitor(api, id, { consensus: { requiredPercent: 0 } });
    assert.equal(noP.statusCode, 400);
    assert.equal(noP.json<ApiErrorBody>().error.issues[0]?.path, 'consensus.requiredPercent');
  });

  it('requires the token file token on every request, loopback included', async () => {
    const api = app(localTokenAuthenticator('s3cret-token'));
    assert.equal((await api.inject({ method: 'GET', url: '/api/v1/monitors' })).statusCode, 401);
    const wrong = await api.inject({
      method: 'GET',
      url: '/api/v1/monitors',
      headers: { authorization: 'Bearer nope' },
    });
    assert.equal(wrong.statusCode, 401);
    const right = await api.inject({
      method: 'GET',
      url: '/api/v1/monitors',
      headers: { authorization: 'Bearer s3cret-token' },
    });
    assert.equal(right.statusCode, 200);
  });
});
