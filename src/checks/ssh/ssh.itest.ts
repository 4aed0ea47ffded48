import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { after, before, test } from 'node:test';
import type { CheckResult } from '../../domain/check-result.ts';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import { sshKeyPair, startSshServer } from '../../../test/helpers/ssh-server.ts';
import type { TestSshServer } from '../../../test/helpers/ssh-server.ts';
import { closedPort, startTcpServer } from '../../../test/helpers/tcp-server.ts';
import type { TestTcpServer } from '../../../test/helpers/tcp-server.ts';
import { oneShotPatterns } from '../patterns/pool.ts';
import type { CheckContext } from '../types.ts';
import { sha256Fingerprint } from './fingerprint.ts';
import { sshCheck } from './index.ts';
import { sshOptionsSchema } from './options.ts';

// Real SSH servers (ssh2's Server with a fresh ed25519 host key) and plain TCP servers on
// 127.0.0.1 port 0. After every check, nothing may stay open on either end.

const loginKey = sshKeyPair();
const otherKey = sshKeyPair();
let ssh: TestSshServer;
const tcpServers: TestTcpServer[] = [];
let baselineSockets = 0;

before(async () => {
  ssh = await startSshServer({
    password: { username: 'probe', password: 'right-password' },
    publicKey: { username: 'probe', key: loginKey.public },
  });
  baselineSockets = openTcpSockets();
});
after(async () => {
  await ssh.close();
  await Promise.all(tcpServers.map((server) => server.close()));
});

async function tcpServer(options: Parameters<typeof startTcpServer>[0]): Promise<TestTcpServer> {
  const server = await startTcpServer(options);
  tcpServers.push(server);
  return server;
}

function context(timeoutMs = 5000, signal = new AbortController().signal): CheckContext {
  return { timeoutMs, signal, patterns: oneShotPatterns };
}

async function check(target: string, input: Record<string, unknown>, ctx = context()) {
  return sshCheck.run(target, sshOptionsSchema.parse(input), ctx);
}

/** Nothing of the check stays open: the server saw its connection close, no socket is left. */
async function nothingLeftOpen(): Promise<void> {
  await settlesTo(() => ssh.openConnections(), 0, 'ssh server connections');
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
}

/**
 * Sends an identification line, then reads (and drops) the client's key exchange without ever
 * answering. It reads so that it sees the client's close: a socket with unread data never does.
 */
async function stallingSshServer(): Promise<{ server: Server; target: string; accepted: number }> {
  const stalling = { server: createServer(), target: '', accepted: 0 };
  stalling.server.on('connection', (socket) => {
    stalling.accepted += 1;
    socket.on('error', () => socket.destroy());
    socket.resume();
    socket.write('SSH-2.0-Stalling_1.0\r\n');
  });
  await new Promise<void>((resolve) => stalling.server.listen(0, '127.0.0.1', resolve));
  stalling.target = `127.0.0.1:${(stalling.server.address() as AddressInfo).port}`;
  return stalling;
}

function fingerprint(): string {
  return sha256Fingerprint(ssh.hostKeyBlob);
}

test('up with the banner and the host key fingerprint in the details', async () => {
  const result = await check(ssh.target, {});
  assert.equal(result.status, 'up', result.message);
  assert.match(result.message, /^SSH banner and host key in \d+ ms$/);
  assert.equal(result.details.banner, 'SSH-2.0-CrosscheckTest_1.0');
  assert.equal(result.details.hostKey, fingerprint());
  assert.equal(result.details.hostKeyType, 'ssh-ed25519');
  assert.equal(typeof result.timings.connectMs, 'number');
  assert.equal(typeof result.timings.firstByteMs, 'number');
  await nothingLeftOpen();
});

test('a pinned fingerprint that matches is up; one of several is enough', async () => {
  assert.equal((await check(ssh.target, { hostKey: fingerprint() })).status, 'up');
  const several = await check(ssh.target, {
    hostKey: [`SHA256:${'A'.repeat(43)}`, fingerprint()],
  });
  assert.equal(several.status, 'up', several.message);
  await nothingLeftOpen();
});

test('a different host key is down naming both fingerprints', async () => {
  const pinned = `SHA256:${'A'.repeat(43)}`;
  const result = await check(ssh.target, { hostKey: pinned });
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'assertion');
  assert.equal(result.message, `host key changed: expected ${pinned}, got ${fingerprint()}`);
  await nothingLeftOpen();
});

test('expect: the banner must contain the text', async () => {
  assert.equal((await check(ssh.target, { expect: 'CrosscheckTest' })).status, 'up');
  const miss = await check(ssh.target, { expect: 'OpenSSH' });
  assert.equal(miss.errorKind, 'assertion');
  assert.equal(miss.message, 'banner "SSH-2.0-CrosscheckTest_1.0" does not contain "OpenSSH"');
  await nothingLeftOpen();
});

test('password login: up with the right password, down naming the refusal otherwise', async () => {
  const ok = await check(ssh.target, { username: 'probe', password: 'right-password' });
  assert.equal(ok.status, 'up', ok.message);
  assert.match(ok.message, /^logged in as probe in \d+ ms$/);
  const wrong = await check(ssh.target, { username: 'probe', password: 'wrong-password' });
  assert.equal(wrong.status, 'down');
  assert.equal(wrong.errorKind, 'assertion');
  assert.equal(wrong.message, 'login as probe failed: the server refused the password');
  assert.ok(!JSON.stringify(wrong).includes('wrong-password'), 'the password is not in the result');
  await nothingLeftOpen();
});

test('private key login: the authorised key logs in, another key is refused', async () => {
  const ok = await check(ssh.target, { username: 'probe', privateKey: loginKey.private });
  assert.equal(ok.status, 'up', ok.message);
  const other = await check(ssh.target, { username: 'probe', privateKey: otherKey.private });
  assert.equal(other.errorKind, 'assertion');
  assert.equal(other.message, 'login as probe failed: the server refused the private key');
  await nothingLeftOpen();
});

test('slower than degradedThresholdMs is degraded (a threshold no handshake beats)', async () => {
  const result = await check(ssh.target, { degradedThresholdMs: 0.001 });
  assert.equal(result.status, 'degraded');
  assert.match(result.message, /^SSH banner and host key in \d+ ms \(slower than 0\.001 ms\)$/);
  await nothingLeftOpen();
});

test('a server that accepts and never sends a banner is a timeout, nothing left open', async () => {
  const silent = await tcpServer({});
  const result = await check(silent.target, {}, context(300));
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'timeout');
  assert.equal(result.message, 'no SSH banner received within 300 ms');
  assert.equal(silent.connectionCount(), 1, 'one connection, no retry');
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
});

test('a server that sends something else and waits is a timeout quoting what it sent', async () => {
  const chatty = await tcpServer({ banner: '220 mail.test ESMTP' });
  const result = await check(chatty.target, {}, context(300));
  assert.equal(result.errorKind, 'timeout');
  assert.equal(result.message, 'no SSH banner within 300 ms, got "220 mail.test ESMTP"');
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
});

test('a server that is not SSH is down with what it sent', async () => {
  const http = await tcpServer({
    banner: 'HTTP/1.1 400 Bad Request\r\n\r\n',
    closeAfterBanner: true,
  });
  const result = await check(http.target, {});
  assert.equal(result.errorKind, 'assertion');
  assert.equal(result.message, 'not an SSH server: got "HTTP/1.1 400 Bad Request\\r\\n\\r\\n"');
  const closing = await tcpServer({ closeAfterBanner: true });
  const closed = await check(closing.target, {});
  assert.equal(closed.message, 'connection closed by the server before its SSH banner');
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
});

test('a closed port is refused', async () => {
  const port = await closedPort();
  const result: CheckResult = await check(`127.0.0.1:${port}`, {});
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'refused');
  assert.equal(result.message, 'connection refused');
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
});

test('an abort ends the check at once and closes the connection', async () => {
  const silent = await tcpServer({});
  const controller = new AbortController();
  const pending = check(silent.target, {}, context(60_000, controller.signal));
  // Abort once the server has the connection, so the check is waiting for the banner.
  await settlesTo(() => silent.connectionCount(), 1, 'connections accepted');
  controller.abort();
  const result = await pending;
  assert.equal(result.errorKind, 'timeout');
  assert.match(result.message, /^check cancelled after \d+ ms during banner$/);
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
});

test('a server that sends a banner but stalls the key exchange: timeout and abort', async () => {
  const stalling = await stallingSshServer();
  const timedOut = await check(stalling.target, {}, context(300));
  assert.equal(timedOut.errorKind, 'timeout');
  assert.equal(timedOut.message, 'the key exchange did not finish within 300 ms');
  assert.equal(timedOut.details.banner, 'SSH-2.0-Stalling_1.0');
  const controller = new AbortController();
  const pending = check(stalling.target, {}, context(60_000, controller.signal));
  await settlesTo(() => stalling.accepted, 2, 'connections accepted');
  controller.abort();
  const cancelled = await pending;
  assert.match(
    cancelled.message,
    /^check cancelled after \d+ ms during (banner|the key exchange)$/,
  );
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
  await new Promise<void>((resolve) => stalling.server.close(() => resolve()));
});

test('a signal aborted before the check starts connects nowhere', async () => {
  const controller = new AbortController();
  controller.abort();
  const before = ssh.accepted();
  const result = await check(ssh.target, {}, context(5000, controller.signal));
  assert.equal(result.errorKind, 'timeout');
  await nothingLeftOpen();
  assert.equal(ssh.accepted(), before);
});
