import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { CheckContext } from '../types.ts';
import { closedPort, startTcpServer } from '../../../test/helpers/tcp-server.ts';
import type { TestTcpServer } from '../../../test/helpers/tcp-server.ts';
import type { TcpOptions } from './options.ts';
import { tcpOptionsSchema } from './options.ts';
import { tcpCheck } from './index.ts';
import { oneShotPatterns } from '../patterns/pool.ts';

const servers: TestTcpServer[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function server(options: Parameters<typeof startTcpServer>[0] = {}): Promise<TestTcpServer> {
  const started = await startTcpServer(options);
  servers.push(started);
  return started;
}

function context(timeoutMs = 2000, signal = new AbortController().signal): CheckContext {
  return { timeoutMs, signal, patterns: oneShotPatterns };
}

function options(input: Record<string, unknown> = {}): TcpOptions {
  return tcpOptionsSchema.parse(input);
}

test('up when the port accepts a connection', async () => {
  const target = await server();
  const result = await tcpCheck.run(target.target, options(), context());
  assert.equal(result.status, 'up');
  assert.equal(result.errorKind, undefined);
  assert.equal(result.details.address, '127.0.0.1');
  assert.equal(typeof result.timings.connectMs, 'number');
  assert.equal(result.timings.dnsMs, undefined, 'an IP target has no DNS phase');
  assert.ok(result.latencyMs >= (result.timings.connectMs ?? 0));
  assert.equal(target.connectionCount(), 1);
});

test('a host name is resolved and the lookup timed', async () => {
  const target = await server();
  const result = await tcpCheck.run(`localhost:${target.port}`, options(), context());
  assert.equal(result.status, 'up');
  assert.equal(typeof result.timings.dnsMs, 'number');
  assert.equal(result.details.address, '127.0.0.1');
});

test('IPv6 loopback targets in brackets work', async () => {
  const target = await server({ host: '::1' });
  const result = await tcpCheck.run(target.target, options(), context());
  assert.equal(result.status, 'up');
  assert.equal(result.details.address, '::1');
});

test('down/refused on a closed port', async () => {
  const port = await closedPort();
  const result = await tcpCheck.run(`127.0.0.1:${port}`, options(), context());
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'refused');
  assert.match(result.message, /refused/);
});

test('up when the banner contains the expected text or matches the regex', async () => {
  const target = await server({ banner: 'SSH-2.0-OpenSSH_9.2\r\n' });
  const text = await tcpCheck.run(target.target, options({ expect: 'SSH-2.0' }), context());
  assert.equal(text.status, 'up');
  assert.match(text.message, /banner matched/);
  assert.equal(text.details.received, 'SSH-2.0-OpenSSH_9.2\\r\\n');
  assert.equal(typeof text.timings.firstByteMs, 'number');
  const regex = await tcpCheck.run(
    target.target,
    options({ expect: '/^ssh-2\\.0-\\w+/i' }),
    context(),
  );
  assert.equal(regex.status, 'up');
});

test('down/assertion with what was received when the banner does not match', async () => {
  const closing = await server({ banner: 'HELLO\r\n', closeAfterBanner: true });
  const closed = await tcpCheck.run(closing.target, options({ expect: 'SSH' }), context());
  assert.equal(closed.status, 'down');
  assert.equal(closed.errorKind, 'assertion');
  assert.match(closed.message, /expected "SSH"/);
  assert.match(closed.message, /got "HELLO\\r\\n"/);

  const lingering = await server({ banner: '220 wrong service\r\n' });
  const timedOut = await tcpCheck.run(
    lingering.target,
    options({ expect: '/^SSH-/' }),
    context(300),
  );
  assert.equal(timedOut.errorKind, 'assertion');
  assert.match(timedOut.message, /not received within 300 ms, got "220 wrong service\\r\\n"/);
  assert.equal(timedOut.details.received, '220 wrong service\\r\\n');
});

test('send + expect: an echo server returns what was sent, escapes decoded', async () => {
  const echo = await server({ echo: true });
  const result = await tcpCheck.run(
    echo.target,
    options({ send: 'PING 42\\r\\n', expect: 'PING 42\r\n' }),
    context(),
  );
  assert.equal(result.status, 'up');
  assert.equal(result.details.received, 'PING 42\\r\\n');
});

test('down/timeout when a banner is expected and the server never sends', async () => {
  const silent = await server();
  const result = await tcpCheck.run(silent.target, options({ expect: 'anything' }), context(300));
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'timeout');
  assert.match(result.message, /no data received within 300 ms/);
  assert.ok(result.latencyMs < 3000, 'finished near the timeout, not long after');
});

test('degraded when successful but slower than degradedThresholdMs', async () => {
  const slow = await server({ banner: 'READY\n', bannerDelayMs: 100 });
  const result = await tcpCheck.run(
    slow.target,
    options({ expect: 'READY', degradedThresholdMs: '20ms' }),
    context(),
  );
  assert.equal(result.status, 'degraded');
  assert.ok(result.latencyMs > 20);
  assert.match(result.message, /slower than 20 ms/);
});

test('an aborted signal ends the check as a timeout without waiting for the deadline', async () => {
  const silent = await server();
  const controller = new AbortController();
  const pending = tcpCheck.run(
    silent.target,
    options({ expect: 'x' }),
    context(10_000, controller.signal),
  );
  setTimeout(() => controller.abort(), 50);
  const result = await pending;
  assert.equal(result.errorKind, 'timeout');
  assert.match(result.message, /cancelled after \d+ ms during exchange/);
  assert.ok(result.latencyMs < 5000);
});
