import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { createClusterCa } from './ca.ts';
import { createRevocationList, revokedSerials } from './revocation.ts';
import { x509 } from './x509.ts';

const NOW = new Date('2030-01-02T03:04:05Z');

describe('createRevocationList', () => {
  it('lists the revoked serials, signed by the CA, valid from now for 10 years', async () => {
    const ca = await createClusterCa({ now: NOW });
    const revoked = [
      { serial: '0123456789abcdef0123456789abcdef', revokedAt: NOW.getTime() - 60_000 },
      { serial: '7F00AB', revokedAt: NOW.getTime() },
    ];
    const pem = await createRevocationList({ ca, revoked, now: NOW });
    assert.match(pem, /^-----BEGIN X509 CRL-----\n/);
    assert.deepEqual(revokedSerials(pem), ['0123456789abcdef0123456789abcdef', '7f00ab']);

    const crl = new x509.X509Crl(pem);
    const caCert = new x509.X509Certificate(ca.certPem);
    assert.equal(await crl.verify({ publicKey: caCert }), true);
    assert.equal(crl.issuer, caCert.subject);
    assert.equal(crl.thisUpdate.getTime(), NOW.getTime());
    assert.equal(crl.nextUpdate?.getTime(), NOW.getTime() + 10 * 365 * 86_400_000);
    assert.equal(crl.entries[0]?.revocationDate.getTime(), NOW.getTime() - 60_000);
  });

  it('may be empty, and refuses serials that are not hex', async () => {
    const ca = await createClusterCa({ now: NOW });
    assert.deepEqual(revokedSerials(await createRevocationList({ ca, revoked: [], now: NOW })), []);
    await assert.rejects(
      createRevocationList({ ca, revoked: [{ serial: 'xyz', revokedAt: 1 }], now: NOW }),
      (error: unknown) => error instanceof AppError && error.code === 'VALIDATION',
    );
  });
});
