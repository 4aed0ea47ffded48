import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestCa, createTestPki } from './certs.ts';
import type { TestPki } from './certs.ts';
import { startDovecot } from './dovecot-server.ts';
import type { TestDovecot } from './dovecot-server.ts';
import { openTcpSockets, settlesTo } from './open-handles.ts';
import { closedPort, startTcpServer } from './tcp-server.ts';
import type { TestTcpServer } from './tcp-server.ts';
import { mailOptionsSchema } from '../../src/checks/mail-options.ts';
import { oneShotPatterns } from '../../src/checks/patterns/pool.ts';
import type { CheckContext, CheckDefinition } from '../../src/checks/types.ts';
import type { MailOptions } from '../../src/checks/mail-options.ts';

// The tests the imap and pop3 checks share, against a real Dovecot (Debian's, started on free
// loopback ports) and plain TCP servers on 127.0.0.1 port 0: each protocol's file calls
// `dovecotCheckTests` with what differs. After every check no socket of this process stays open.

/** What one Dovecot protocol's checks expect. */
export interface DovecotProtocol {
  check: CheckDefinition<MailOptions>;
  protocol: 'IMAP' | 'POP3';
  scheme: string;
  implicitScheme: string;
  otherScheme: string;
  defaultPort: number;
  implicitPort: number;
  /** Dovecot's listener ports of this protocol. */
  ports: (dovecot: TestDovecot) => { plain: number; implicit: number };
  greeting: RegExp;
  capability: string;
  wrongPassword: RegExp;
  /** A greeting that refuses the client. */
  refusal: string;
}

/** Registers the shared tests for one protocol (call once, at the top of its itest). */
export function dovecotCheckTests(spec: DovecotProtocol): void {
  const login = { username: 'probe', password: 'right-password' };
  let pki: TestPki;
  let dovecot: TestDovecot;
  const tcpServers: TestTcpServer[] = [];
  let baselineSockets = 0;

  before(async () => {
    pki = await createTestPki();
    dovecot = await startDovecot({ cert: pki.valid, login });
    baselineSockets = openTcpSockets();
  });
  after(async () => {
    await dovecot.close();
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
    return spec.check.run(target, mailOptionsSchema.parse(input), ctx);
  }

  async function nothingLeftOpen(): Promise<void> {
    await settlesTo(openTcpSockets, baselineSockets, 'TCP sockets in this process');
  }

  const plain = (): string => `127.0.0.1:${spec.ports(dovecot).plain}`;
  const implicitTarget = (): string =>
    `${spec.implicitScheme}://127.0.0.1:${spec.ports(dovecot).implicit}`;

  test('login over STARTTLS is up, with capabilities and certificate expiry', async () => {
    const result = await check(plain(), { ca: pki.ca.certPem, ...login });
    assert.equal(result.status, 'up', result.message);
    assert.match(
      result.message,
      new RegExp(`^${spec.protocol} greeting over STARTTLS and login as probe in \\d+ ms$`),
    );
    assert.equal(result.details['tls'], 'starttls');
    assert.equal(result.details['certDaysLeft'], 89);
    assert.match(String(result.details['banner']), spec.greeting);
    assert.ok((result.details['capabilities'] as string[]).includes(spec.capability));
    await nothingLeftOpen();
  });

  test(`login over implicit TLS (${spec.implicitScheme}://) is up`, async () => {
    const result = await check(implicitTarget(), {
      ca: pki.ca.certPem,
      ...login,
    });
    assert.equal(result.status, 'up', result.message);
    assert.equal(result.details['tls'], 'implicit');
    await nothingLeftOpen();
  });

  test('login over plain text only with --tls off', async () => {
    const result = await check(plain(), { tls: 'off', ...login });
    assert.equal(result.status, 'up', result.message);
    assert.equal(result.details['tls'], 'none');
    await nothingLeftOpen();
  });

  test('a wrong password is down (assertion) with the server reply', async () => {
    const result = await check(plain(), { ca: pki.ca.certPem, ...login, password: 'wrong' });
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'assertion');
    assert.match(result.message, spec.wrongPassword);
    await nothingLeftOpen();
  });

  test('a certificate from another CA is a TLS error, on STARTTLS and implicit TLS', async () => {
    const other = await createTestCa('Some Other CA');
    const starttls = await check(plain(), { ca: other.certPem, ...login });
    assert.equal(starttls.errorKind, 'tls');
    assert.match(starttls.message, /certificate issuer is not trusted .* during STARTTLS$/);
    const implicit = await check(implicitTarget(), { ca: other.certPem });
    assert.equal(implicit.errorKind, 'tls');
    assert.match(implicit.message, /during the TLS handshake$/);
    await nothingLeftOpen();
  });

  test('a server that never greets times out; a BYE greeting is refused', async () => {
    const silent = await tcpServer({});
    const result = await check(silent.target, {}, context(300));
    assert.equal(result.errorKind, 'timeout');
    assert.equal(result.message, `no ${spec.protocol} greeting received within 300 ms`);
    const bye = await tcpServer({ banner: `${spec.refusal}\r\n` });
    const refused = await check(bye.target, {});
    assert.equal(refused.errorKind, 'assertion');
    assert.equal(
      refused.message,
      `${spec.protocol} server refused the greeting: "${spec.refusal}"`,
    );
    await nothingLeftOpen();
  });

  test('a closed port is refused', async () => {
    const result = await check(`127.0.0.1:${await closedPort()}`, {});
    assert.equal(result.errorKind, 'refused');
    await nothingLeftOpen();
  });

  test('aborting mid-check ends it at once and closes the connection', async () => {
    const silent = await tcpServer({});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await check(silent.target, {}, context(5000, controller.signal));
    assert.equal(result.errorKind, 'timeout');
    assert.match(result.message, /^check cancelled after \d+ ms during the greeting$/);
    await nothingLeftOpen();
  });

  test('targets: default ports and schemes', () => {
    assert.equal(
      spec.check.targetSchema.parse('mail.example.com'),
      `mail.example.com:${spec.defaultPort}`,
    );
    assert.equal(
      spec.check.targetSchema.parse(`${spec.implicitScheme}://mail.example.com`),
      `${spec.implicitScheme}://mail.example.com:${spec.implicitPort}`,
    );
    assert.throws(
      () => spec.check.targetSchema.parse(`${spec.otherScheme}://mail.example.com`),
      new RegExp(`not ${spec.scheme}:// or ${spec.implicitScheme}://`),
    );
  });
}
