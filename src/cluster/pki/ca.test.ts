import assert from 'node:assert/strict';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { certificateFingerprint, createClusterCa } from './ca.ts';
import { x509 } from './x509.ts';

const NOW = new Date('2030-01-02T03:04:05Z');
const YEAR_MS = 365 * 86_400_000;

describe('cluster CA', () => {
  it('is a self-signed P-256 CA with keyCertSign+cRLSign, SKI and 10 years of validity', async () => {
    const ca = await createClusterCa({ now: NOW, commonName: 'Test cluster CA' });
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.ca, true);
    assert.match(cert.subject, /^CN=Test cluster CA$/m);
    assert.equal(cert.checkIssued(cert), true);
    assert.equal(cert.verify(cert.publicKey), true);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(cert.checkPrivateKey(createPrivateKey(ca.keyPem)), true);
    assert.equal(cert.validFromDate.getTime(), NOW.getTime() - 5 * 60_000);
    assert.equal(cert.validToDate.getTime(), NOW.getTime() + 10 * YEAR_MS);

    const parsed = new x509.X509Certificate(ca.certPem);
    const constraints = parsed.getExtension(x509.BasicConstraintsExtension);
    assert.equal(constraints?.ca, true);
    assert.equal(constraints?.critical, true);
    const usages = parsed.getExtension(x509.KeyUsagesExtension);
    assert.equal(usages?.usages, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    assert.equal(usages?.critical, true);
    assert.ok(parsed.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
  });

  it('gets a distinct default name and key each time', async () => {
    const [a, b] = await Promise.all([
      createClusterCa({ now: NOW }),
      createClusterCa({ now: NOW }),
    ]);
    const subjectA = new X509Certificate(a.certPem).subject;
    assert.match(subjectA, /^CN=Crosscheck cluster CA [0-9a-f]{8}$/m);
    assert.notEqual(subjectA, new X509Certificate(b.certPem).subject);
    assert.notEqual(certificateFingerprint(a.certPem), certificateFingerprint(b.certPem));
  });
});

describe('certificateFingerprint', () => {
  it("is the lowercase SHA-256 of the DER, as Node's fingerprint256 says", async () => {
    const ca = await createClusterCa({ now: NOW });
    const fingerprint = certificateFingerprint(ca.certPem);
    assert.match(fingerprint, /^[0-9a-f]{64}$/);
    const node = new X509Certificate(ca.certPem).fingerprint256.replaceAll(':', '').toLowerCase();
    assert.equal(fingerprint, node);
    const der = x509.PemConverter.decodeFirst(ca.certPem);
    assert.equal(fingerprint, createHash('sha256').update(Buffer.from(der)).digest('hex'));
  });

  it('refuses text that is not a certificate', () => {
    assert.throws(
      () => certificateFingerprint('hello'),
      (error: unknown) => error instanceof AppError && error.code === 'VALIDATION',
    );
  });
});
