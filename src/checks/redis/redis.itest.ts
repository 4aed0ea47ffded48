import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTestPki } from '../../../test/helpers/certs.ts';
import type { TestPki } from '../../../test/helpers/certs.ts';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import { redisUnavailable, startRedisServer } from '../../../test/helpers/redis-server.ts';
import type { TestRedisServer } from '../../../test/helpers/redis-server.ts';
import { closedPort } from '../../../test/helpers/tcp-server.ts';
import { oneShotPatterns } from '../patterns/pool.ts';
import type { CheckContext } from '../types.ts';
import { redisCheck } from './index.ts';
import { redisOptionsSchema } from './options.ts';

// Real redis-server processes (Debian's package) on free loopback ports, one without and one
// with a password, plus a TCP server that accepts and never answers. After every check the
// servers count no client of ours and this process holds no socket beyond its baseline.

const PASSWORD = 'test-redis-password';
const skip = redisUnavailable();

describe('redis check against redis-server', { skip }, () => {
  let open: TestRedisServer;
  let locked: TestRedisServer;
  let hanging: { server: Server; target: string; accepted: number };
  let tls: TestRedisServer;
  let pki: TestPki;
  let baselineSockets = 0;
  const servers: TestRedisServer[] = [];
  const started = (server: TestRedisServer): TestRedisServer => {
    servers.push(server);
    return server;
  };

  before(async () => {
    pki = await createTestPki();
    // One at a time, each remembered at once, so a failed start still stops the others.
    open = started(await startRedisServer());
    locked = started(await startRedisServer({ password: PASSWORD }));
    tls = started(await startRedisServer({ tls: pki.valid }));
    await open.command('SET', 'health', 'ok');
    hanging = await acceptAndHang();
    baselineSockets = openTcpSockets();
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await new Promise<void>((resolve) => hanging.server.close(() => resolve()));
  });

  function context(timeoutMs = 5000, signal = new AbortController().signal): CheckContext {
    return { timeoutMs, signal, patterns: oneShotPatterns };
  }

  async function check(target: string, input: Record<string, unknown>, ctx = context()) {
    return redisCheck.run(target, redisOptionsSchema.parse(input), ctx);
  }

  /** No client of ours is left on either server, and no socket in this process. */
  async function nothingLeftOpen(): Promise<void> {
    await settlesTo(() => open.connectedClients(), 0, 'clients on redis-server');
    await settlesTo(() => locked.connectedClients(), 0, 'clients on the password server');
    await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
  }

  it('PING is up with PONG, timed, for host:port and redis:// targets', async () => {
    const result = await check(open.target, {});
    assert.equal(result.status, 'up', result.message);
    assert.match(result.message, /^PING answered in \d+ ms$/);
    assert.equal(result.details.reply, 'PONG');
    assert.equal(typeof result.timings.connectMs, 'number');
    assert.equal(typeof result.timings.firstByteMs, 'number');
    const url = await check(`redis://localhost:${open.port}/0`, {});
    assert.equal(url.status, 'up', url.message);
    assert.equal(typeof url.timings.dnsMs, 'number');
    await nothingLeftOpen();
  });

  it('AUTH with the right password is up; a wrong one or none is down as auth failed', async () => {
    const ok = await check(locked.target, { password: PASSWORD });
    assert.equal(ok.status, 'up', ok.message);
    const acl = await check(locked.target, { username: 'default', password: PASSWORD });
    assert.equal(acl.status, 'up', acl.message);
    const wrong = await check(locked.target, { password: 'wrong-password' });
    assert.equal(wrong.status, 'down');
    assert.equal(wrong.errorKind, 'assertion');
    assert.match(wrong.message, /^auth failed: WRONGPASS /);
    assert.ok(!JSON.stringify(wrong).includes('wrong-password'), 'no password in the result');
    const none = await check(locked.target, {});
    assert.match(none.message, /^auth failed: NOAUTH /);
    await nothingLeftOpen();
  });

  it('a command with an expected reply: match, mismatch with an excerpt, regex', async () => {
    const match = await check(open.target, { command: 'GET health', expect: 'ok' });
    assert.equal(match.status, 'up', match.message);
    assert.equal(match.details.reply, 'ok');
    const mismatch = await check(open.target, { command: 'GET health', expect: 'healthy' });
    assert.equal(mismatch.errorKind, 'assertion');
    assert.equal(mismatch.message, 'unexpected reply to GET health: expected "healthy", got "ok"');
    const missing = await check(open.target, { command: 'GET absent', expect: 'ok' });
    assert.match(missing.message, /got "\(nil\)"$/);
    const info = await check(open.target, {
      command: 'INFO server',
      expect: '/redis_version:\\d+/',
    });
    assert.equal(info.status, 'up', info.message);
    await nothingLeftOpen();
  });

  it("a database in the URL is selected; the server's own refusal is reported", async () => {
    await open.command('SELECT', '3');
    const selected = await check(`redis://127.0.0.1:${open.port}/3`, { command: 'DBSIZE' });
    assert.equal(selected.status, 'up', selected.message);
    const bad = await check(`redis://127.0.0.1:${open.port}/99999`, {});
    assert.equal(bad.errorKind, 'assertion');
    assert.match(bad.message, /^SELECT failed: ERR /);
    await nothingLeftOpen();
  });

  it('a reply slower than degradedThresholdMs is degraded (a threshold no round trip beats)', async () => {
    const result = await check(open.target, { degradedThresholdMs: 0.001 });
    assert.equal(result.status, 'degraded');
    assert.match(result.message, /^PING answered in \d+ ms \(slower than 0\.001 ms\)$/);
    await nothingLeftOpen();
  });

  it('a refused port is down/refused, reported once', async () => {
    const port = await closedPort();
    const result = await check(`127.0.0.1:${port}`, {});
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'refused');
    assert.equal(result.message, 'connection refused');
    await nothingLeftOpen();
  });

  it('a server that accepts and never answers is a timeout, one connection, none left', async () => {
    const before = hanging.accepted;
    const result = await check(hanging.target, {}, context(300));
    assert.equal(result.errorKind, 'timeout');
    assert.equal(result.message, 'no reply to PING within 300 ms');
    assert.equal(hanging.accepted - before, 1, 'no reconnect behind our back');
    await nothingLeftOpen();
  });

  it('an abort closes the connection at once', async () => {
    const controller = new AbortController();
    const before = hanging.accepted;
    const pending = check(hanging.target, {}, context(60_000, controller.signal));
    await settlesTo(() => hanging.accepted - before, 1, 'connections accepted');
    controller.abort();
    const result = await pending;
    assert.equal(result.errorKind, 'timeout');
    assert.match(result.message, /^check cancelled after \d+ ms during command$/);
    await nothingLeftOpen();
  });

  it('rediss:// verifies the certificate by default; ca or insecure accept a private one', async () => {
    const target = tls.tlsTarget ?? '';
    const untrusted = await check(target, {});
    assert.equal(untrusted.status, 'down');
    assert.equal(untrusted.errorKind, 'tls');
    assert.match(untrusted.message, /^TLS error: /);
    const trusted = await check(target, { ca: pki.ca.certPem });
    assert.equal(trusted.status, 'up', trusted.message);
    const insecure = await check(target, { insecure: true });
    assert.equal(insecure.status, 'up', insecure.message);
    await settlesTo(() => tls.connectedClients(), 0, 'clients on the TLS server');
    await nothingLeftOpen();
  });

  it('rediss:// to a server without TLS fails the handshake as a network or TLS error', async () => {
    const result = await check(`rediss://127.0.0.1:${open.port}`, {}, context(2000));
    assert.equal(result.status, 'down');
    assert.ok(['tls', 'network', 'timeout'].includes(result.errorKind ?? ''), result.message);
    await nothingLeftOpen();
  });
});

/** Accepts, reads and drops everything, answers nothing: a hung Redis. */
async function acceptAndHang(): Promise<{ server: Server; target: string; accepted: number }> {
  const hanging = { server: createServer(), target: '', accepted: 0 };
  hanging.server.on('connection', (socket) => {
    hanging.accepted += 1;
    socket.on('error', () => socket.destroy());
    socket.resume();
  });
  await new Promise<void>((resolve) => hanging.server.listen(0, '127.0.0.1', resolve));
  hanging.target = `127.0.0.1:${(hanging.server.address() as AddressInfo).port}`;
  return hanging;
}
