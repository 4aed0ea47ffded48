import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { createTestPki } from '../../../test/helpers/certs.ts';
import type { TestPki } from '../../../test/helpers/certs.ts';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import { startSmtpServer } from '../../../test/helpers/smtp-server.ts';
import type { TestSmtpServer } from '../../../test/helpers/smtp-server.ts';
import { closedPort, startTcpServer } from '../../../test/helpers/tcp-server.ts';
import type { TestTcpServer } from '../../../test/helpers/tcp-server.ts';
import { mailOptionsSchema } from '../mail-options.ts';
import { oneShotPatterns } from '../patterns/pool.ts';
import type { CheckContext } from '../types.ts';
import { smtpCheck } from './index.ts';

// Real SMTP servers (smtp-server) and plain TCP servers on 127.0.0.1 port 0, a throwaway PKI
// for their certificates. After every check nothing may stay open on either end.

const login = { username: 'probe', password: 'right-password' };
let pki: TestPki;
let starttls: TestSmtpServer;
let implicit: TestSmtpServer;
let plainOnly: TestSmtpServer;
const tcpServers: TestTcpServer[] = [];
let baselineSockets = 0;

before(async () => {
  pki = await createTestPki();
  [starttls, implicit, plainOnly] = await Promise.all([
    startSmtpServer({ cert: pki.valid, login }),
    startSmtpServer({ cert: pki.valid, login, implicitTls: true }),
    startSmtpServer({ cert: pki.valid, login, noStartTls: true }),
  ]);
  baselineSockets = openTcpSockets();
});
after(async () => {
  await Promise.all([starttls, implicit, plainOnly].map((server) => server.close()));
  await Promise.all(tcpServers.map((server) => server.close()));
});

async function tcpServer(options: Parameters<typeof startTcpServer>[0]): Promise<TestTcpServer> {
  // The previous check's sockets first finish closing, so the new baseline counts none of them.
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets before a new server');
  const server = await startTcpServer(options);
  tcpServers.push(server);
  baselineSockets = openTcpSockets();
  return server;
}

function context(timeoutMs = 5000, signal = new AbortController().signal): CheckContext {
  return { timeoutMs, signal, patterns: oneShotPatterns };
}

async function check(target: string, input: Record<string, unknown>, ctx = context()) {
  return smtpCheck.run(target, mailOptionsSchema.parse(input), ctx);
}

async function nothingLeftOpen(): Promise<void> {
  for (const server of [starttls, implicit, plainOnly])
    await settlesTo(() => server.openConnections(), 0, 'smtp server connections');
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
}

test('up over STARTTLS with a login, certificate expiry in the details', async () => {
  const result = await check(starttls.target, { ca: pki.ca.certPem, ...login });
  assert.equal(result.status, 'up', result.message);
  assert.match(result.message, /^SMTP greeting over STARTTLS and login as probe in \d+ ms$/);
  assert.equal(result.details['tls'], 'starttls');
  assert.equal(result.details['certDaysLeft'], 89);
  assert.match(String(result.details['banner']), /^220 .*Crosscheck test ESMTP/);
  assert.ok((result.details['capabilities'] as string[]).includes('AUTH'));
  assert.ok(result.timings.tlsMs !== undefined && result.timings.connectMs !== undefined);
  await nothingLeftOpen();
});

test('up over implicit TLS (smtps://), and a banner pattern that matches', async () => {
  const target = `smtps://127.0.0.1:${implicit.port}`;
  const result = await check(target, { ca: pki.ca.certPem, ...login, expect: '/ESMTP/' });
  assert.equal(result.status, 'up', result.message);
  assert.equal(result.details['tls'], 'implicit');
  assert.equal(result.details['tlsProtocol'], 'TLSv1.3');
  await nothingLeftOpen();
});

test('a wrong password is down (assertion) with the server reply', async () => {
  const result = await check(starttls.target, { ca: pki.ca.certPem, ...login, password: 'wrong' });
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'assertion');
  assert.match(result.message, /^login as probe failed: "535 /);
  assert.doesNotMatch(JSON.stringify(result), /wrong/);
  await nothingLeftOpen();
});

test('STARTTLS required but not offered is down; auto mode will not log in over plain text', async () => {
  const required = await check(plainOnly.target, { tls: 'starttls' });
  assert.equal(required.status, 'down');
  assert.equal(required.errorKind, 'assertion');
  assert.match(required.message, /STARTTLS is required but the SMTP server does not offer it/);
  const auto = await check(plainOnly.target, login);
  assert.equal(auto.errorKind, 'assertion');
  assert.match(auto.message, /not sending the password in clear text/);
  const off = await check(plainOnly.target, { tls: 'off', ...login });
  assert.equal(off.status, 'up', off.message);
  assert.equal(off.details['tls'], 'none');
  await nothingLeftOpen();
});

test('a certificate from an unknown CA is a TLS error', async () => {
  const result = await check(starttls.target, login);
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'tls');
  assert.match(result.message, /certificate issuer is not trusted .* during STARTTLS$/);
  await nothingLeftOpen();
});

test('a server that never greets times out, naming the greeting', async () => {
  const silent = await tcpServer({});
  const result = await check(silent.target, {}, context(300));
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'timeout');
  assert.equal(result.message, 'no SMTP greeting received within 300 ms');
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
});

test('a 554 greeting is down with the reply; a non-SMTP banner says so', async () => {
  const refusing = await tcpServer({ banner: '554 5.3.2 no service here\r\n' });
  const result = await check(refusing.target, {});
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'assertion');
  assert.equal(result.message, 'SMTP server refused the greeting: "554 5.3.2 no service here"');
  const ssh = await tcpServer({ banner: 'SSH-2.0-OpenSSH_9.6\r\n' });
  const wrong = await check(ssh.target, {});
  assert.equal(wrong.errorKind, 'assertion');
  assert.equal(wrong.message, 'the server does not speak SMTP: got "SSH-2.0-OpenSSH_9.6"');
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
});

test('a banner pattern that does not match is down (assertion)', async () => {
  const result = await check(starttls.target, { ca: pki.ca.certPem, expect: 'Postfix' });
  assert.equal(result.errorKind, 'assertion');
  assert.match(result.message, /^greeting "220 .*" does not match "Postfix"$/);
  await nothingLeftOpen();
});

test('a server that never answers QUIT does not hold the result past a short grace', async () => {
  const sockets = new Set<Socket>();
  const mute = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write('220 mute ESMTP\r\n');
    socket.on('data', (chunk) => {
      if (/^EHLO/i.test(chunk.toString())) socket.write('250 mute\r\n');
    });
  });
  await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
  try {
    const started = performance.now();
    const result = await check(`127.0.0.1:${(mute.address() as AddressInfo).port}`, { tls: 'off' });
    assert.equal(result.status, 'up', result.message);
    assert.ok(performance.now() - started < 2500);
    await settlesTo(() => sockets.size, 0, 'mute server connections');
  } finally {
    await new Promise<void>((resolve) => mute.close(() => resolve()));
  }
  await nothingLeftOpen();
});

test('a closed port is refused', async () => {
  const result = await check(`127.0.0.1:${await closedPort()}`, {});
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'refused');
  await nothingLeftOpen();
});

test('aborting mid-check ends it at once and closes the connection', async () => {
  const silent = await tcpServer({});
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = performance.now();
  const result = await check(silent.target, {}, context(5000, controller.signal));
  assert.ok(performance.now() - started < 1000);
  assert.equal(result.errorKind, 'timeout');
  assert.match(result.message, /^check cancelled after \d+ ms during the greeting$/);
  await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
});

test('targets: default port, smtps default port, and bad targets are rejected', () => {
  assert.equal(smtpCheck.targetSchema.parse('Mail.Example.com'), 'mail.example.com:25');
  assert.equal(
    smtpCheck.targetSchema.parse('smtps://mail.example.com'),
    'smtps://mail.example.com:465',
  );
  assert.equal(smtpCheck.targetSchema.parse('smtp://[::1]:2525'), '[::1]:2525');
  assert.throws(
    () => smtpCheck.targetSchema.parse('imap://mail.example.com'),
    /not smtp:\/\/ or smtps:\/\//,
  );
  assert.throws(() => mailOptionsSchema.parse({ username: 'probe' }), /given together/);
  assert.throws(() => mailOptionsSchema.parse({ tls: 'maybe' }), /auto, starttls, implicit or off/);
});
