import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestPki } from '../../../test/helpers/certs.ts';
import type { TestPki } from '../../../test/helpers/certs.ts';
import { checkContext } from '../../../test/helpers/http-servers.ts';
import { closedPort } from '../../../test/helpers/tcp-server.ts';
import { echo, startWebsocketServer } from '../../../test/helpers/websocket-server.ts';
import type {
  TestWebsocketServer,
  WebsocketServerOptions,
} from '../../../test/helpers/websocket-server.ts';
import type { WebsocketOptions } from './options.ts';
import { websocketOptionsSchema } from './options.ts';
import { websocketCheck } from './index.ts';

let pki: TestPki;
const servers: { close(): Promise<void> }[] = [];
before(async () => {
  pki = await createTestPki();
});
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function server(options: WebsocketServerOptions = {}): Promise<TestWebsocketServer> {
  const started = await startWebsocketServer(options);
  servers.push(started);
  return started;
}

function options(input: Record<string, unknown> = {}): WebsocketOptions {
  return websocketOptionsSchema.parse(input);
}

/** Whatever the outcome, the server must see the check's connection closed afterwards. */
async function assertClosed(target: TestWebsocketServer): Promise<void> {
  assert.equal(await target.drained(), 0, 'the check left its connection open');
}

test('up when the upgrade succeeds; closes cleanly with 1000', async () => {
  const target = await server();
  const result = await websocketCheck.run(`${target.origin}/live`, options(), checkContext());
  assert.equal(result.status, 'up', result.message);
  assert.match(result.message, /^connected in \d+ ms$/);
  assert.equal(typeof result.timings.connectMs, 'number');
  assert.equal(typeof result.timings.firstByteMs, 'number');
  assert.equal(result.timings.tlsMs, undefined, 'ws:// has no TLS phase');
  await assertClosed(target);
  assert.deepEqual(target.closeCodes(), [1000]);
});

test('send + expect against an echo server: up, with the reply in details', async () => {
  const target = await server({ onSocket: echo });
  const result = await websocketCheck.run(
    target.origin,
    options({ send: '{"type":"ping"}', expect: '/"type":\\s*"ping"/' }),
    checkContext(),
  );
  assert.equal(result.status, 'up', result.message);
  assert.match(result.message, /^reply matched in/);
  assert.equal(result.details.received, '{"type":"ping"}');
  await assertClosed(target);
});

test('expect alone judges the first message the server sends', async () => {
  const target = await server({ onSocket: (ws) => ws.send('welcome v2') });
  const up = await websocketCheck.run(
    target.origin,
    options({ expect: 'welcome' }),
    checkContext(),
  );
  assert.equal(up.status, 'up', up.message);
  const wrong = await websocketCheck.run(target.origin, options({ expect: 'v3' }), checkContext());
  assert.equal(wrong.status, 'down');
  assert.equal(wrong.errorKind, 'assertion');
  assert.equal(wrong.message, 'unexpected reply: expected "v3", got "welcome v2"');
  await assertClosed(target);
});

test('down/timeout when no message arrives; the connection is closed', async () => {
  const target = await server();
  const result = await websocketCheck.run(
    target.origin,
    options({ send: 'hello', expect: 'anything' }),
    checkContext(300),
  );
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'timeout');
  assert.equal(result.message, 'no message within 300ms');
  await assertClosed(target);
});

test('down/timeout waiting for the upgrade response from a server that never answers', async () => {
  // A bare TCP server that accepts and stays silent, tracking its connections.
  const open = new Set<Socket>();
  const mute = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    // Reads (and ignores) the request, so the client's close reaches it as an end.
    socket.resume();
  });
  await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
  servers.push({ close: () => new Promise<void>((resolve) => mute.close(() => resolve())) });
  const { port } = mute.address() as AddressInfo;
  const result = await websocketCheck.run(`ws://127.0.0.1:${port}/`, options(), checkContext(300));
  assert.equal(result.errorKind, 'timeout');
  assert.equal(result.message, 'timed out after 300ms waiting for the upgrade response');
  for (let turn = 0; turn < 200 && open.size > 0; turn++) await sleep(10);
  assert.equal(open.size, 0, 'the check left its connection open');
});

test('down/status "upgrade refused: HTTP 403" when the server will not upgrade', async () => {
  const target = await server({ refuseStatus: 403 });
  const result = await websocketCheck.run(target.origin, options(), checkContext());
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'status');
  assert.equal(result.message, 'upgrade refused: HTTP 403');
  assert.equal(result.details.httpStatus, 403);
  await assertClosed(target);
});

test('down/refused on a closed port', async () => {
  const port = await closedPort();
  const result = await websocketCheck.run(`ws://127.0.0.1:${port}/`, options(), checkContext());
  assert.equal(result.errorKind, 'refused');
  assert.equal(result.message, 'connection refused');
});

test('the server closing before a message is down/assertion with its close code', async () => {
  const target = await server({ onSocket: (ws) => ws.close(1011, 'overloaded') });
  const result = await websocketCheck.run(target.origin, options({ expect: 'x' }), checkContext());
  assert.equal(result.errorKind, 'assertion');
  assert.equal(
    result.message,
    'connection closed by the server (code 1011 "overloaded") before a message arrived',
  );
  await assertClosed(target);
});

test('wss: verified by default (down/tls), insecure or the CA makes it up', async () => {
  const target = await server({ tls: pki.valid, onSocket: echo });
  const untrusted = await websocketCheck.run(target.origin, options(), checkContext());
  assert.equal(untrusted.errorKind, 'tls');
  assert.equal(
    untrusted.message,
    'TLS error: certificate issuer is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
  );
  const insecure = await websocketCheck.run(
    target.origin,
    options({ insecure: true, send: 'hi', expect: 'hi' }),
    checkContext(),
  );
  assert.equal(insecure.status, 'up', insecure.message);
  assert.equal(typeof insecure.timings.tlsMs, 'number');
  const trusted = await websocketCheck.run(
    target.origin,
    options({ ca: pki.ca.certPem }),
    checkContext(),
  );
  assert.equal(trusted.status, 'up', trusted.message);
  await assertClosed(target);
});

test('wss: an expired certificate is down/tls', async () => {
  const target = await server({ tls: pki.expired });
  const result = await websocketCheck.run(
    target.origin,
    options({ ca: pki.ca.certPem }),
    checkContext(),
  );
  assert.equal(result.errorKind, 'tls');
  assert.equal(result.message, 'TLS error: certificate has expired (CERT_HAS_EXPIRED)');
  await assertClosed(target);
});

test('headers and the subprotocol reach the server; the chosen protocol is recorded', async () => {
  const target = await server({ protocols: ['graphql-ws'] });
  const result = await websocketCheck.run(
    target.origin,
    options({ headers: ['Authorization: Bearer s3cret'], subprotocol: 'graphql-ws' }),
    checkContext(),
  );
  assert.equal(result.status, 'up', result.message);
  assert.equal(result.details.subprotocol, 'graphql-ws');
  const [headers] = target.requests();
  assert.equal(headers?.authorization, 'Bearer s3cret');
  assert.equal(headers?.['sec-websocket-protocol'], 'graphql-ws');
  assert.match(String(headers?.['user-agent']), /^Crosscheck\//);
  const shown = websocketCheck.redact?.(options({ headers: ['Authorization: Bearer s3cret'] }));
  assert.deepEqual(shown?.headers, { Authorization: '***' });
});

test('a server that ignores the asked subprotocol fails the handshake, named as such', async () => {
  const target = await server();
  const result = await websocketCheck.run(
    target.origin,
    options({ subprotocol: 'graphql-ws' }),
    checkContext(),
  );
  assert.equal(result.errorKind, 'network');
  assert.match(result.message, /^WebSocket handshake failed: Server sent no subprotocol/);
  await assertClosed(target);
});

test('an aborted signal ends the check at once and closes the connection', async () => {
  const controller = new AbortController();
  // Aborted once the server holds the connection, so there is a live socket to close.
  const target = await server({ onSocket: () => setImmediate(() => controller.abort()) });
  const result = await websocketCheck.run(
    target.origin,
    options({ expect: 'never' }),
    checkContext(10_000, controller.signal),
  );
  assert.equal(result.errorKind, 'timeout');
  // The client may or may not have read the 101 response yet when the abort lands.
  assert.match(
    result.message,
    /^check cancelled after \d+ ms (waiting for the upgrade response|waiting for a message)$/,
  );
  await assertClosed(target);
});

test('a header value Node refuses to send is a down result, not an exception', async () => {
  const target = await server();
  const result = await websocketCheck.run(
    target.origin,
    options({ headers: { 'X-Name': 'caf\u{1F600}' } }),
    checkContext(),
  );
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'network');
  assert.match(result.message, /ERR_INVALID_CHAR/);
  assert.equal(target.requests().length, 0);
});

test('a message followed at once by a close is still judged, even by a worker regex', async () => {
  const target = await server({ onSocket: (ws) => ws.send('ready v2', () => ws.close(1000)) });
  const result = await websocketCheck.run(
    target.origin,
    options({ expect: '/^ready v\\d+$/' }),
    checkContext(),
  );
  assert.equal(result.status, 'up', result.message);
  assert.equal(result.details.received, 'ready v2');
  await assertClosed(target);
});
