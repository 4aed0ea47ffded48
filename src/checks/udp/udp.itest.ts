import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, test } from 'node:test';
import { checkContext } from '../../../test/helpers/http-servers.ts';
import {
  closedUdpPort,
  settledUdpHandles,
  startUdpServer,
} from '../../../test/helpers/udp-server.ts';
import type { TestUdpServer, UdpServerOptions } from '../../../test/helpers/udp-server.ts';
import type { UdpOptions } from './options.ts';
import { udpOptionsSchema } from './options.ts';
import { udpCheck } from './index.ts';

const servers: TestUdpServer[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

// Every check must close its socket before it resolves, whatever the outcome: the UDP handles
// open after a test are the servers it started, and nothing else.
let handlesBefore = 0;
let startedInTest = 0;
beforeEach(async () => {
  handlesBefore = await settledUdpHandles(servers.length);
  startedInTest = 0;
});
afterEach(async () => {
  const expected = handlesBefore + startedInTest;
  assert.equal(await settledUdpHandles(expected), expected, 'a check left a UDP socket open');
});

async function server(options: UdpServerOptions): Promise<TestUdpServer> {
  const started = await startUdpServer(options);
  servers.push(started);
  startedInTest += 1;
  return started;
}

function options(input: Record<string, unknown>): UdpOptions {
  return udpOptionsSchema.parse(input);
}

test('up when the echo server replies; latency is send → reply', async () => {
  const echo = await server({ reply: 'echo' });
  const result = await udpCheck.run(echo.target, options({ send: 'PING\\n' }), checkContext());
  assert.equal(result.status, 'up', result.message);
  assert.equal(result.errorKind, undefined);
  assert.match(result.message, /^reply in \d+ ms$/);
  assert.equal(result.details.reply, 'PING\\n');
  assert.equal(result.details.replyHex, '50494e470a');
  assert.equal(result.details.address, '127.0.0.1');
  assert.equal(typeof result.timings.firstByteMs, 'number');
  assert.equal(result.latencyMs, result.timings.firstByteMs);
  assert.deepEqual(echo.received(), [Buffer.from('PING\n')]);
});

test('a hex payload is sent as bytes, and a reply of any content is up without expect', async () => {
  const answering = await server({ reply: () => [Buffer.from([0xde, 0xad])] });
  const result = await udpCheck.run(
    answering.target,
    options({ sendHex: '1b 00 ff' }),
    checkContext(),
  );
  assert.equal(result.status, 'up', result.message);
  assert.equal(result.details.replyHex, 'dead');
  assert.deepEqual(answering.received(), [Buffer.from([0x1b, 0x00, 0xff])]);
});

test('expect: a matching reply is up, text or /regex/; later replies are judged too', async () => {
  const chatty = await server({ reply: () => ['noise', 'PONG 42'] });
  const text = await udpCheck.run(
    chatty.target,
    options({ send: 'PING', expect: 'PONG' }),
    checkContext(),
  );
  assert.equal(text.status, 'up', text.message);
  assert.match(text.message, /^matching reply in/);
  assert.equal(text.details.reply, 'PONG 42');
  const regex = await udpCheck.run(
    chatty.target,
    options({ send: 'PING', expect: '/^pong \\d+$/i' }),
    checkContext(),
  );
  assert.equal(regex.status, 'up', regex.message);
});

test('down/assertion naming what came back when no reply matches', async () => {
  const wrong = await server({ reply: () => ['ERR unknown command'] });
  const result = await udpCheck.run(
    wrong.target,
    options({ send: 'PING', expect: 'PONG' }),
    checkContext(300),
  );
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'assertion');
  assert.equal(result.message, 'no reply matching "PONG" within 300ms, got "ERR unknown command"');
});

test('down/timeout when the server never replies', async () => {
  const silent = await server({ reply: 'silent' });
  const result = await udpCheck.run(silent.target, options({ send: 'hello' }), checkContext(300));
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'timeout');
  assert.equal(result.message, 'no reply within 300ms');
  assert.equal(silent.received().length, 1, 'the datagram was sent');
});

test('down/refused when the port is closed (ICMP port unreachable)', async () => {
  const port = await closedUdpPort();
  const result = await udpCheck.run(`127.0.0.1:${port}`, options({ send: 'x' }), checkContext());
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'refused');
  assert.match(result.message, /refused.*port unreachable/);
});

test('IPv6 loopback and host names work', async () => {
  const v6 = await server({ host: '::1', reply: 'echo' });
  const result = await udpCheck.run(v6.target, options({ send: 'six' }), checkContext());
  assert.equal(result.status, 'up', result.message);
  assert.equal(result.details.address, '::1');
  const v4 = await server({ reply: 'echo' });
  const named = await udpCheck.run(`localhost:${v4.port}`, options({ send: 'x' }), checkContext());
  // localhost may resolve to ::1 first, where nothing listens on this port: either way the
  // name was looked up and timed.
  assert.equal(typeof named.timings.dnsMs, 'number');
});

test('an aborted signal ends the check at once and closes the socket', async () => {
  const silent = await server({ reply: 'silent' });
  const controller = new AbortController();
  const pending = udpCheck.run(
    silent.target,
    options({ send: 'x' }),
    checkContext(10_000, controller.signal),
  );
  setTimeout(() => controller.abort(), 50);
  const result = await pending;
  assert.equal(result.errorKind, 'timeout');
  assert.match(result.message, /cancelled after \d+ ms during exchange/);
});

test('degraded when the reply is slower than degradedThresholdMs', async () => {
  const slow = await server({ reply: 'echo' });
  const result = await udpCheck.run(
    slow.target,
    options({ send: 'x', degradedThresholdMs: 0.001 }),
    checkContext(),
  );
  assert.equal(result.status, 'degraded', result.message);
  assert.match(result.message, /slower than 0.001 ms/);
});
