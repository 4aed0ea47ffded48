import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestPki, leavesByName } from '../../../test/helpers/certs.ts';
import type { TestPki } from '../../../test/helpers/certs.ts';
import {
  checkContext,
  startHttpServer,
  startHttpsServer,
} from '../../../test/helpers/http-servers.ts';
import type { TestServer } from '../../../test/helpers/http-servers.ts';
import { httpCheck, httpsCheck } from './index.ts';

let pki: TestPki;
const servers = new Map<string, TestServer>();

before(async () => {
  pki = await createTestPki();
  for (const [name, pair] of Object.entries(leavesByName(pki))) {
    servers.set(name, await startHttpsServer((_req, res) => res.end('secure'), pair));
  }
});

after(async () => {
  await Promise.all([...servers.values()].map((server) => server.close()));
});

function origin(name: string): string {
  const server = servers.get(name);
  if (!server) throw new Error(`no server ${name}`);
  return server.origin;
}

function run(name: string, input: Record<string, unknown> = { ca: pki.ca.certPem }) {
  return httpsCheck.run(`${origin(name)}/`, httpsCheck.optionsSchema.parse(input), checkContext());
}

test('a certificate from the trusted CA is up, with expiry and TLS facts recorded', async () => {
  const result = await run('valid');
  assert.equal(result.status, 'up');
  assert.equal(result.details.certDaysRemaining, 89);
  assert.match(String(result.details.certValidTo), /^\d{4}-\d{2}-\d{2}T/);
  assert.equal(result.details.certSubject, 'CN=localhost');
  assert.equal(result.details.certIssuer, 'CN=Crosscheck Test CA');
  assert.match(String(result.details.tlsProtocol), /^TLSv1\.[23]$/);
  assert.ok((result.timings.tlsMs ?? -1) >= 0);
  assert.ok((result.timings.connectMs ?? -1) >= 0);
});

test('a certificate expiring in 3 days records 3 days remaining', async () => {
  const result = await run('soon');
  assert.equal(result.status, 'up');
  assert.equal(result.details.certDaysRemaining, 3);
});

test('without the CA the chain is untrusted: down/tls', async () => {
  const result = await run('valid', {});
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'tls');
  assert.equal(
    result.message,
    'TLS error: certificate issuer is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
  );
});

test('an expired certificate is down/tls', async () => {
  const result = await run('expired');
  assert.equal(result.errorKind, 'tls');
  assert.equal(result.message, 'TLS error: certificate has expired (CERT_HAS_EXPIRED)');
});

test('a self-signed certificate is down/tls', async () => {
  const result = await run('selfSigned');
  assert.equal(result.errorKind, 'tls');
  assert.equal(result.message, 'TLS error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
});

test('a certificate for another host is down/tls naming both', async () => {
  const result = await run('wrongHost');
  assert.equal(result.errorKind, 'tls');
  assert.equal(
    result.message,
    "TLS error: hostname mismatch: 127.0.0.1 is not in the certificate's names (DNS:wrong-host.test)",
  );
});

test('insecure skips verification but still records the certificate', async () => {
  const result = await run('selfSigned', { insecure: true });
  assert.equal(result.status, 'up');
  assert.equal(result.details.certDaysRemaining, 89);
  const expired = await run('expired', { insecure: true });
  assert.equal(expired.status, 'up');
  assert.ok(Number(expired.details.certDaysRemaining) < 0, 'expired shows negative days');
});

test('the https type refuses http:// targets; the http type accepts https://', async () => {
  assert.equal(httpsCheck.targetSchema.safeParse('http://127.0.0.1/').success, false);
  const target = httpCheck.targetSchema.parse(`${origin('valid')}/`);
  const result = await httpCheck.run(
    target,
    httpCheck.optionsSchema.parse({ ca: pki.ca.certPem }),
    checkContext(),
  );
  assert.equal(result.status, 'up');
});

test('a redirect from https to http is followed, and the final hop has no certificate', async () => {
  const plain = await startHttpServer((_req, res) => res.end('plain'));
  const redirecting = await startHttpsServer(
    (_req, res) => res.writeHead(301, { Location: `${plain.origin}/landing` }).end(),
    pki.valid,
  );
  try {
    const options = httpsCheck.optionsSchema.parse({ ca: pki.ca.certPem });
    const result = await httpsCheck.run(`${redirecting.origin}/`, options, checkContext());
    assert.equal(result.status, 'up');
    assert.equal(result.details.finalUrl, `${plain.origin}/landing`);
    assert.equal(result.details.certDaysRemaining, undefined);
  } finally {
    await Promise.all([plain.close(), redirecting.close()]);
  }
});
