import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestCa, createTestPki, leavesByName } from '../../../test/helpers/certs.ts';
import type { TestPki } from '../../../test/helpers/certs.ts';
import { checkContext, startTlsServer } from '../../../test/helpers/http-servers.ts';
import type { TestServer } from '../../../test/helpers/http-servers.ts';
import { closedPort, startTcpServer } from '../../../test/helpers/tcp-server.ts';
import { trustedContext } from './ca-option.ts';
import { tlsCheck } from './index.ts';

let pki: TestPki;
const servers = new Map<string, TestServer>();

before(async () => {
  pki = await createTestPki();
  for (const [name, pair] of Object.entries(leavesByName(pki)))
    servers.set(name, await startTlsServer(pair));
});

after(async () => {
  await Promise.all([...servers.values()].map((server) => server.close()));
});

function port(name: string): number {
  const server = servers.get(name);
  if (!server) throw new Error(`no server ${name}`);
  return server.port;
}

function run(
  target: string,
  input: Record<string, unknown> = { ca: pki.ca.certPem },
  timeoutMs = 2000,
) {
  return tlsCheck.run(
    tlsCheck.targetSchema.parse(target),
    tlsCheck.optionsSchema.parse(input),
    checkContext(timeoutMs),
  );
}

test('a trusted, matching certificate is up with its facts', async () => {
  const result = await run(`127.0.0.1:${port('valid')}`);
  assert.equal(result.status, 'up');
  assert.equal(result.message, 'certificate valid for 89 days');
  assert.equal(result.details.certDaysRemaining, 89);
  assert.equal(result.details.chainValid, true);
  assert.equal(result.details.hostnameMatch, true);
  assert.equal(result.details.certSubject, 'CN=localhost');
  assert.equal(result.details.certIssuer, 'CN=Crosscheck Test CA');
  assert.deepEqual(result.details.certSans, ['DNS:localhost', 'IP Address:127.0.0.1']);
  assert.match(String(result.details.certFingerprint256), /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  assert.match(String(result.details.tlsProtocol), /^TLSv1\.[23]$/);
  assert.ok((result.timings.tlsMs ?? -1) >= 0);
});

test('a name target checks the name and records the lookup', async () => {
  const result = await run(`localhost:${port('valid')}`);
  assert.equal(result.status, 'up');
  assert.ok((result.timings.dnsMs ?? -1) >= 0);
});

test('a certificate expiring in 3 days is degraded with warnDays 14', async () => {
  const result = await run(`127.0.0.1:${port('soon')}`, { ca: pki.ca.certPem, warnDays: 14 });
  assert.equal(result.status, 'degraded');
  assert.equal(result.message, 'certificate expires in 3 days');
  assert.equal(
    (await run(`127.0.0.1:${port('soon')}`, { ca: pki.ca.certPem, warnDays: 2 })).status,
    'up',
  );
});

test('an expired certificate is down/tls', async () => {
  const result = await run(`127.0.0.1:${port('expired')}`);
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'tls');
  assert.match(result.message, /^certificate expired on \d{4}-\d{2}-\d{2}$/);
  assert.ok(Number(result.details.certDaysRemaining) < 0);
});

test('a self-signed certificate is down/tls unless insecure', async () => {
  const target = `127.0.0.1:${port('selfSigned')}`;
  const result = await run(target);
  assert.equal(result.errorKind, 'tls');
  assert.equal(result.message, 'certificate not trusted: self-signed certificate');
  assert.equal(result.details.chainError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  const insecure = await run(target, { insecure: true });
  assert.equal(insecure.status, 'up');
  assert.equal(insecure.details.chainValid, false);
});

test('without the CA the chain is untrusted', async () => {
  const result = await run(`127.0.0.1:${port('valid')}`, {});
  assert.equal(result.errorKind, 'tls');
  assert.equal(result.message, 'certificate not trusted: certificate issuer is not trusted');
});

test('checks with the same CA share one trust context; another CA gets its own', async () => {
  const target = `127.0.0.1:${port('valid')}`;
  assert.equal(trustedContext(pki.ca.certPem), trustedContext(pki.ca.certPem));
  const other = await createTestCa('Another Test CA');
  assert.notEqual(trustedContext(other.certPem), trustedContext(pki.ca.certPem));
  assert.equal((await run(target)).status, 'up');
  // Built after the test CA's context was cached: it must not borrow that trust.
  const foreign = await run(target, { ca: other.certPem });
  assert.equal(foreign.errorKind, 'tls');
  assert.equal(foreign.message, 'certificate not trusted: certificate issuer is not trusted');
  assert.equal((await run(target)).status, 'up');
});

test('a certificate for another host is down/tls, even when insecure', async () => {
  const target = `127.0.0.1:${port('wrongHost')}`;
  const result = await run(target);
  assert.equal(result.errorKind, 'tls');
  assert.equal(
    result.message,
    "hostname mismatch: 127.0.0.1 is not in the certificate's names (DNS:wrong-host.test)",
  );
  assert.equal(result.details.hostnameMatch, false);
  assert.equal((await run(target, { insecure: true })).status, 'down');
});

test('a closed port is down/refused', async () => {
  const result = await run(`127.0.0.1:${await closedPort()}`);
  assert.equal(result.errorKind, 'refused');
});

test('a server that never completes the handshake is down/timeout', async () => {
  const silent = await startTcpServer();
  try {
    const result = await run(silent.target, {}, 300);
    assert.equal(result.errorKind, 'timeout');
    assert.equal(result.message, 'timed out after 300ms during the TLS handshake');
  } finally {
    await silent.close();
  }
});

test('a plain-text server is down/tls or network, never up', async () => {
  const plain = await startTcpServer({ banner: 'SSH-2.0-OpenSSH\r\n' });
  try {
    const result = await run(plain.target);
    assert.equal(result.status, 'down');
    assert.ok(result.errorKind === 'tls' || result.errorKind === 'network', result.message);
  } finally {
    await plain.close();
  }
});
