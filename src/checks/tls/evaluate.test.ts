import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CertificateFacts } from './evaluate.ts';
import { judgeCertificate } from './evaluate.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12);

function facts(overrides: Partial<CertificateFacts> = {}): CertificateFacts {
  return {
    authorizationError: undefined,
    host: 'a.test',
    hostnameMatches: true,
    validFrom: new Date(NOW - 30 * DAY),
    validTo: new Date(NOW + 60 * DAY + 3_600_000),
    subject: 'CN=a.test',
    issuer: 'O=Test\nCN=Test CA',
    subjectAltNames: ['DNS:a.test', 'DNS:www.a.test'],
    fingerprint256: 'AA:BB',
    serialNumber: '01',
    protocol: 'TLSv1.3',
    ...overrides,
  };
}

const strict = { warnDays: 14, insecure: false };

function judge(overrides: Partial<CertificateFacts>, options = strict) {
  return judgeCertificate(facts(overrides), options, NOW, 12, { connectMs: 1, tlsMs: 5 });
}

test('a trusted, matching certificate far from expiry is up with its facts', () => {
  const result = judge({});
  assert.equal(result.status, 'up');
  assert.equal(result.message, 'certificate valid for 60 days');
  assert.equal(result.details.certDaysRemaining, 60);
  assert.equal(result.details.certIssuer, 'O=Test, CN=Test CA');
  assert.deepEqual(result.details.certSans, ['DNS:a.test', 'DNS:www.a.test']);
  assert.equal(result.details.chainValid, true);
  assert.equal(result.details.hostnameMatch, true);
  assert.equal(result.details.tlsProtocol, 'TLSv1.3');
  assert.deepEqual(result.timings, { connectMs: 1, tlsMs: 5 });
});

test('inside the warning window is degraded; warnDays 0 never warns', () => {
  const soon = { validTo: new Date(NOW + 3 * DAY + 3_600_000) };
  const result = judge(soon);
  assert.equal(result.status, 'degraded');
  assert.equal(result.message, 'certificate expires in 3 days');
  assert.equal(judge(soon, { warnDays: 0, insecure: false }).status, 'up');
  assert.equal(
    judge({ validTo: new Date(NOW + 3_600_000) }).message,
    'certificate expires in less than a day',
  );
});

test('expired and not-yet-valid certificates are down/tls', () => {
  const expired = judge({ validTo: new Date(NOW - DAY), authorizationError: 'CERT_HAS_EXPIRED' });
  assert.equal(expired.status, 'down');
  assert.equal(expired.errorKind, 'tls');
  assert.match(expired.message, /^certificate expired on 2026-05-31/);
  assert.equal(expired.details.certDaysRemaining, -1);
  const early = judge({ validFrom: new Date(NOW + DAY) });
  assert.match(early.message, /not valid until 2026-06-02/);
});

test('an untrusted chain is down unless insecure; insecure still checks dates and hostname', () => {
  const selfSigned = { authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' };
  const result = judge(selfSigned);
  assert.equal(result.errorKind, 'tls');
  assert.equal(result.message, 'certificate not trusted: self-signed certificate');
  assert.equal(result.details.chainValid, false);
  assert.equal(result.details.chainError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  const insecure = { warnDays: 14, insecure: true };
  assert.equal(judge(selfSigned, insecure).status, 'up');
  assert.equal(judge({ ...selfSigned, hostnameMatches: false }, insecure).status, 'down');
  assert.equal(judge({ ...selfSigned, validTo: new Date(NOW - DAY) }, insecure).status, 'down');
  assert.equal(judge({ authorizationError: 'CERT_SIGNATURE_FAILURE' }, insecure).status, 'down');
});

test('a hostname mismatch is down naming the host and the certificate names', () => {
  const result = judge({
    host: 'other.test',
    hostnameMatches: false,
    authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID',
  });
  assert.equal(result.status, 'down');
  assert.equal(
    result.message,
    "hostname mismatch: other.test is not in the certificate's names (DNS:a.test, DNS:www.a.test)",
  );
  assert.equal(result.details.hostnameMatch, false);
  assert.equal(result.details.chainValid, true);
});
