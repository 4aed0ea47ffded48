import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, test } from 'node:test';
import { closedPort } from '../../../test/helpers/tcp-server.ts';
import {
  checkContext,
  readRequestBody,
  startHttpServer,
} from '../../../test/helpers/http-servers.ts';
import type { TestServer } from '../../../test/helpers/http-servers.ts';
import { httpCheck } from './index.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const received: Received[] = [];
const BIG_BODY_BYTES = 3 * 1024 * 1024;
let server: TestServer;

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://test');
  const [, first = '', second = ''] = url.pathname.split('/');
  if (first === 'ok') return void res.end('hello');
  if (first === 'status') return void res.writeHead(Number(second)).end();
  if (first === 'redirect') {
    const left = Number(second);
    if (left === 0) return void res.end('arrived');
    return void res.writeHead(302, { Location: `/redirect/${left - 1}` }).end();
  }
  if (first === 'loop')
    return void res.writeHead(302, { Location: second === 'a' ? '/loop/b' : '/loop/a' }).end();
  if (first === 'slow') return void setTimeout(() => res.end('late'), 250);
  if (first === 'echo' || first === 'see-other') {
    received.push({
      method: req.method ?? '',
      url: url.pathname,
      headers: req.headers,
      body: await readRequestBody(req),
    });
    if (first === 'see-other') return void res.writeHead(303, { Location: '/echo' }).end();
    return void res.end('recorded');
  }
  if (first === 'big') return void res.end(Buffer.alloc(BIG_BODY_BYTES, 'x'));
  if (first === 'stall-body')
    return void res.writeHead(200, { 'Content-Length': '100' }).write('partial');
  if (first === 'hang') return; // never answers
  res.writeHead(404).end();
}

before(async () => {
  server = await startHttpServer((req, res) => void route(req, res));
});

after(() => server.close());

function run(
  path: string,
  input: Record<string, unknown> = {},
  timeoutMs = 2000,
  signal?: AbortSignal,
) {
  return httpCheck.run(
    `${server.origin}${path}`,
    httpCheck.optionsSchema.parse(input),
    checkContext(timeoutMs, signal),
  );
}

test('a 200 response is up with status, size and phase timings', async () => {
  const result = await run('/ok');
  assert.equal(result.status, 'up');
  assert.match(result.message, /^HTTP 200 in \d+ ms$/);
  assert.equal(result.details.statusCode, 200);
  assert.equal(result.details.bodyBytes, 5);
  assert.equal(result.details.redirects, 0);
  assert.equal(result.timings.dnsMs, undefined, 'an IP target needs no lookup');
  assert.ok((result.timings.connectMs ?? -1) >= 0);
  assert.ok((result.timings.firstByteMs ?? -1) >= 0);
  assert.ok(result.latencyMs >= (result.timings.firstByteMs ?? 0));
});

test('a name target records the DNS phase', async () => {
  const url = `${server.origin.replace('127.0.0.1', 'localhost')}/ok`;
  const result = await httpCheck.run(url, httpCheck.optionsSchema.parse({}), checkContext());
  assert.equal(result.status, 'up');
  assert.ok((result.timings.dnsMs ?? -1) >= 0);
});

test('an unexpected status is down/status with the expectation in the message', async () => {
  const result = await run('/status/503');
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'status');
  assert.equal(result.message, 'HTTP 503 (expected 200-399)');
  assert.equal(result.details.statusCode, 503);
});

test('expected status lists and ranges are honoured', async () => {
  assert.equal((await run('/status/404', { expectedStatus: '404' })).status, 'up');
  assert.equal((await run('/status/503', { expectedStatus: '200-299,500-599' })).status, 'up');
  const result = await run('/status/204', { expectedStatus: ['200', '301-302'] });
  assert.equal(result.message, 'HTTP 204 (expected 200,301-302)');
});

test('redirects are followed to the final response', async () => {
  const result = await run('/redirect/3');
  assert.equal(result.status, 'up');
  assert.equal(result.details.redirects, 3);
  assert.equal(result.details.finalUrl, `${server.origin}/redirect/0`);
  assert.match(result.message, /after 3 redirects$/);
});

test('without following, the 3xx itself is judged', async () => {
  const followed = await run('/redirect/1', { followRedirects: false });
  assert.equal(followed.status, 'up');
  assert.equal(followed.details.statusCode, 302);
  const strict = await run('/redirect/1', { followRedirects: false, expectedStatus: 200 });
  assert.equal(strict.errorKind, 'status');
});

test('a redirect loop is down with a clear message', async () => {
  const result = await run('/loop/a');
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'status');
  assert.equal(
    result.message,
    `redirect loop: ${server.origin}/loop/a -> ${server.origin}/loop/b -> ${server.origin}/loop/a`,
  );
});

test('more redirects than allowed is down', async () => {
  const result = await run('/redirect/5', { maxRedirects: 2 });
  assert.equal(result.status, 'down');
  assert.equal(result.message, 'too many redirects (limit 2)');
  assert.equal(result.details.redirects, 2);
});

test('a server that never answers is down/timeout within the deadline', async () => {
  const result = await run('/hang', {}, 300);
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'timeout');
  assert.equal(result.message, 'timed out after 300ms waiting for response headers');
  assert.ok(result.latencyMs >= 290 && result.latencyMs < 2000, `latency ${result.latencyMs}`);
});

test('a body that stops arriving is down/timeout while reading the body', async () => {
  const result = await run('/stall-body', {}, 300);
  assert.equal(result.errorKind, 'timeout');
  assert.equal(result.message, 'timed out after 300ms while reading the body');
  assert.equal(result.details.statusCode, 200);
});

test('the caller aborting ends the check as down/timeout', async () => {
  const controller = new AbortController();
  const pending = run('/hang', {}, 5000, controller.signal);
  setTimeout(() => controller.abort(), 50);
  const result = await pending;
  assert.equal(result.errorKind, 'timeout');
  assert.match(result.message, /^aborted after \d+ms waiting for response headers$/);
  assert.ok(result.latencyMs < 2000);
});

test('a closed port is down/refused', async () => {
  const port = await closedPort();
  const result = await httpCheck.run(
    `http://127.0.0.1:${port}/`,
    httpCheck.optionsSchema.parse({}),
    checkContext(),
  );
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'refused');
  assert.equal(result.message, 'connection refused');
});

test('a response slower than the threshold is degraded', async () => {
  const slow = await run('/slow', { degradedThresholdMs: '100ms' });
  assert.equal(slow.status, 'degraded');
  assert.match(slow.message, /slower than 100ms$/);
  assert.equal((await run('/slow', {})).status, 'up');
});

test('POST sends the body and headers the monitor configures', async () => {
  received.length = 0;
  const result = await run('/echo', {
    method: 'POST',
    headers: ['Content-Type: application/json', 'X-Check: crosscheck'],
    body: '{"ping":true}',
  });
  assert.equal(result.status, 'up');
  const [request] = received;
  assert.equal(request?.method, 'POST');
  assert.equal(request.body, '{"ping":true}');
  assert.equal(request.headers['content-type'], 'application/json');
  assert.equal(request.headers['x-check'], 'crosscheck');
  assert.equal(request.headers['content-length'], '13');
  assert.match(request.headers['user-agent'] ?? '', /^Crosscheck\//);
});

test('a 303 after a POST is followed with a body-less GET', async () => {
  received.length = 0;
  const result = await run('/see-other', {
    method: 'POST',
    body: 'form=1',
    headers: ['Content-Type: text/plain'],
  });
  assert.equal(result.status, 'up');
  assert.deepEqual(
    received.map((r) => [r.method, r.url, r.body, r.headers['content-type']]),
    [
      ['POST', '/see-other', 'form=1', 'text/plain'],
      ['GET', '/echo', '', undefined],
    ],
  );
});

test('a large body is drained and counted', async () => {
  const result = await run('/big');
  assert.equal(result.status, 'up');
  assert.equal(result.details.bodyBytes, BIG_BODY_BYTES);
});
