import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { OPERATIONS } from '../operations/registry.ts';
import { systemClock } from '../lib/clock.ts';
import { silentLogger } from '../observability/logger.ts';
import { createEventHub } from '../services/events/event-hub.ts';
import type { EventHub, EventHubOptions } from '../services/events/event-hub.ts';
import type { CrosscheckEvent } from '../services/events/event-types.ts';
import { waitFor } from '../../test/helpers/cli.ts';
import { openSse } from '../../test/helpers/sse-client.ts';
import { EVENTS_OPENAPI_PATH } from './event-openapi.ts';
import { EVENTS_PATH, isEventStreamUrl, registerEventRoutes } from './event-routes.ts';
import { openApiDocument } from './openapi.ts';
import { buildBareApiServer } from './server.ts';

// A real Fastify server on 127.0.0.1:0 and a real HTTP client reading the stream as it comes.

const servers: FastifyInstance[] = [];

async function serve(
  options: Partial<EventHubOptions> = {},
): Promise<{ hub: EventHub; url: string; app: FastifyInstance }> {
  const hub = createEventHub({ clock: systemClock, epoch: 'run1', ...options });
  const app = buildBareApiServer(silentLogger());
  // Stands in for the server's auth hook: a request without this header has no principal.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.headers['x-test-anonymous'] === undefined)
      request.principal = {
        userId: 'u1',
        name: 'vic',
        role: 'viewer',
        access: 'read',
        via: 'token',
      };
    done();
  });
  registerEventRoutes(app, hub, { heartbeatMs: 50 });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  servers.push(app);
  return { hub, app, url: `${address}${EVENTS_PATH}` };
}

after(async () => {
  for (const app of servers) await app.close();
});

function result(monitorId: string, group: string | null = null): CrosscheckEvent {
  return {
    type: 'result',
    monitorId,
    group,
    resultId: `r-${monitorId}`,
    nodeId: 'n1',
    status: 'up',
    latencyMs: 3,
    at: 1,
  };
}

function opened(monitorId: string): CrosscheckEvent {
  return {
    type: 'incident.opened',
    monitorId,
    group: null,
    incidentId: `i-${monitorId}`,
    verdict: 'down',
    regions: [],
    at: 1,
  };
}

describe('GET /api/v1/events', () => {
  it('streams only the events the filters select, as SSE frames', async () => {
    const { hub, url } = await serve();
    const stream = await openSse(`${url}?monitor=a,c&types=result`);
    assert.equal(stream.status, 200);
    const byGroup = await openSse(`${url}?group=web`);
    hub.publish([result('a'), result('b'), opened('a'), result('c'), result('d', 'web')]);
    const frames = await stream.next(2);
    assert.deepEqual(
      frames.map((f) => [f.id, f.event, (JSON.parse(f.data) as { monitorId: string }).monitorId]),
      [
        ['run1-1', 'result', 'a'],
        ['run1-4', 'result', 'c'],
      ],
    );
    assert.deepEqual(JSON.parse(frames[0]?.data ?? ''), { id: 'run1-1', ...result('a') });
    const web = await byGroup.next(1);
    assert.equal(web[0]?.id, 'run1-5');
    stream.drop();
    byGroup.drop();
  });

  it('a page subscribes to its rows plus unscoped types (every node change and incident)', async () => {
    const { hub, url } = await serve();
    const rows = Array.from({ length: 200 }, (_, i) => `m${i}`);
    const page = await openSse(
      `${url}?monitor=${rows.join(',')}&unscoped=node.state,incident.opened`,
    );
    assert.equal(page.status, 200);
    const node: CrosscheckEvent = {
      type: 'node.state',
      nodeId: 'n1',
      from: 'online',
      to: 'missing',
      at: 1,
    };
    hub.publish([result('other'), result('m199'), opened('other'), node, result('m0')]);
    const frames = await page.next(4);
    assert.deepEqual(
      frames.map((f) => f.id),
      ['run1-2', 'run1-3', 'run1-4', 'run1-5'],
    );
    page.drop();
  });

  it('refuses more than 500 monitor ids', async () => {
    const { url } = await serve();
    const ids = Array.from({ length: 501 }, (_, i) => `m${i}`).join(',');
    const response = await fetch(`${url}?monitor=${ids}`);
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { issues: { path: string }[] } };
    assert.equal(body.error.issues[0]?.path, 'query.monitor');
  });

  it('after a dropped connection, Last-Event-ID brings exactly the missed events, in order, none twice', async () => {
    const { hub, url } = await serve();
    const first = await openSse(`${url}?monitor=a`);
    hub.publish([result('a'), result('b'), result('a'), result('a')]);
    const seen = await first.next(2);
    first.drop(); // mid-stream: run1-4 was sent but never read
    await waitFor(
      () => (hub.stats().subscribers === 0 ? true : undefined),
      5_000,
      () => 'cleanup',
    );
    hub.publish([result('a'), result('b'), result('a')]);
    const lastId = seen.at(-1)?.id ?? '';
    assert.equal(lastId, 'run1-3');
    const resumed = await openSse(`${url}?monitor=a`, { 'last-event-id': lastId });
    const missed = await resumed.next(3);
    hub.publish([result('a')]);
    const live = await resumed.next(1);
    assert.deepEqual(
      [...seen, ...missed, ...live].map((f) => f.id),
      ['run1-1', 'run1-3', 'run1-4', 'run1-5', 'run1-7', 'run1-8'],
    );
    resumed.drop();
  });

  it('an id from another run, or older than the history, gets a reset that points at the head', async () => {
    const { hub, url } = await serve({ historyEvents: 3 });
    hub.publish([result('a'), result('a'), result('a'), result('a'), result('a')]);
    const stale = await openSse(url, { 'last-event-id': 'run1-1' });
    const [reset] = await stale.next(1);
    assert.deepEqual(reset, { id: 'run1-5', event: 'reset', data: '{"reason":"expired"}' });
    const foreign = await openSse(`${url}?lastEventId=run0-3`);
    const [unknown] = await foreign.next(1);
    assert.deepEqual(unknown, { id: 'run1-5', event: 'reset', data: '{"reason":"unknown-id"}' });
    hub.publish([result('a')]);
    assert.equal((await stale.next(1))[0]?.id, 'run1-6');
    stale.drop();
    foreign.drop();
  });

  it('a client too slow for its queue gets overflow and the end of the stream, then resumes', async () => {
    const { hub, url } = await serve({ subscriberQueue: 2 });
    const start = hub.headId();
    const slow = await openSse(url, { 'last-event-id': start });
    // One publish fills the queue before the stream's next write: the hub closes it.
    hub.publish([result('a'), result('b'), result('c'), result('d')]);
    assert.deepEqual(await slow.rest(), [
      { id: undefined, event: 'overflow', data: '{"reason":"slow-consumer"}' },
    ]);
    const again = await openSse(url, { 'last-event-id': start });
    assert.deepEqual(
      (await again.next(4)).map((f) => f.id),
      ['run1-1', 'run1-2', 'run1-3', 'run1-4'],
    );
    again.drop();
  });

  it('sends heartbeat comments and forgets the subscriber when the client leaves', async () => {
    const { hub, url } = await serve();
    const response = await fetch(url);
    const reader = response.body?.getReader();
    let text = '';
    while (reader !== undefined && !text.includes(': keep-alive')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value as Uint8Array);
    }
    assert.match(text, /^retry: \d+\n\n/);
    assert.match(text, /: keep-alive\n\n/);
    assert.equal(hub.stats().subscribers, 1);
    await reader?.cancel();
    await waitFor(
      () => (hub.stats().subscribers === 0 ? true : undefined),
      5_000,
      () => 'cleanup',
    );
  });

  it('refuses a request without a principal, and bad filters with the field named', async () => {
    const { url } = await serve();
    const anonymous = await fetch(url, { headers: { 'x-test-anonymous': '1' } });
    assert.equal(anonymous.status, 401);
    assert.equal(
      ((await anonymous.json()) as { error: { code: string } }).error.code,
      'UNAUTHORIZED',
    );
    const bad = await fetch(`${url}?types=result,bogus`);
    assert.equal(bad.status, 400);
    const body = (await bad.json()) as { error: { issues: { path: string }[] } };
    assert.match(body.error.issues[0]?.path ?? '', /^query\.types/);
  });

  it('closing the server ends open streams instead of waiting for their clients', async () => {
    const { app, url } = await serve();
    const stream = await openSse(url);
    await app.close();
    assert.deepEqual(await stream.rest(), []);
  });

  it('recognises its URLs, so the coordinator refuses to forward the stream for agents', () => {
    assert.equal(isEventStreamUrl('/api/v1/events?group=web'), true);
    assert.equal(isEventStreamUrl('/api/v1/events'), true);
    assert.equal(isEventStreamUrl('/api/v1/eventsx'), false);
  });

  it('is described by a path item that keeps the OpenAPI document valid', async () => {
    const document = openApiDocument(OPERATIONS, { [EVENTS_PATH]: EVENTS_OPENAPI_PATH });
    const result = await new Validator().validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  });
});
