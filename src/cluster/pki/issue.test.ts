import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate, webcrypto } from 'node:crypto';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../../lib/errors.ts';
import { createTestCa, issueLeaf } from '../../../test/helpers/certs.ts';
import { createClusterCa, type KeyPairPem } from './ca.ts';
import { createKeyAndCsr, csrCommonName } from './csr.ts';
import { peerIdentity } from './identity.ts';
import { issueNodeCertificate, type NodeRole } from './issue.ts';
import { x509 } from './x509.ts';

const NOW = new Date('2030-01-02T03:04:05Z');
const DAY_MS = 86_400_000;

let ca: KeyPairPem;
let caCert: X509Certificate;
before(async () => {
  ca = await createClusterCa({ now: NOW });
  caCert = new X509Certificate(ca.certPem);
});

function isValidation(pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, 'VALIDATION');
    assert.match(error.message, pattern);
    return true;
  };
}

describe('createKeyAndCsr', () => {
  it('makes a P-256 key and a self-signed CSR naming the node', async () => {
    const { keyPem, csrPem } = await createKeyAndCsr({ commonName: 'fra-1, eu=west' });
    assert.equal(createPrivateKey(keyPem).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const csr = new x509.Pkcs10CertificateRequest(csrPem);
    assert.equal(await csr.verify(), true);
    assert.equal(csrCommonName(csrPem), 'fra-1, eu=west');
  });
});

describe('issueNodeCertificate', () => {
  it('signs a leaf the CA verifies, with the identity, usages and names asked for', async () => {
    const { keyPem, csrPem } = await createKeyAndCsr({ commonName: 'coord' });
    const issued = await issueNodeCertificate({
      ca,
      csrPem,
      nodeId: 'node_coord1',
      role: 'coordinator',
      now: NOW,
      altNames: { dns: ['coord.example'], ip: ['127.0.0.1', '::1'] },
    });
    const cert = new X509Certificate(issued.certPem);
    assert.equal(cert.checkIssued(caCert), true);
    assert.equal(cert.verify(caCert.publicKey), true);
    assert.equal(cert.checkPrivateKey(createPrivateKey(keyPem)), true);
    assert.equal(cert.ca, false);
    assert.equal(cert.subject, 'CN=node_coord1\nO=crosscheck\nOU=coordinator');
    assert.deepEqual(cert.keyUsage.sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    assert.equal(
      cert.subjectAltName,
      'DNS:coord.example, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    assert.match(issued.serial, /^[0-9a-f]{32}$/);
    assert.equal(issued.serial, cert.serialNumber.toLowerCase());
    assert.equal(cert.validFromDate.getTime(), NOW.getTime() - 5 * 60_000);
    assert.equal(cert.validToDate.getTime(), NOW.getTime() + 825 * DAY_MS);
    assert.equal(issued.notAfter, cert.validToDate.getTime());

    const parsed = new x509.X509Certificate(issued.certPem);
    const usages = parsed.getExtension(x509.KeyUsagesExtension);
    assert.equal(usages?.usages, x509.KeyUsageFlags.digitalSignature);
    const caSki = new x509.X509Certificate(ca.certPem).getExtension(
      x509.SubjectKeyIdentifierExtension,
    );
    assert.equal(parsed.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId, caSki?.keyId);
    assert.ok(parsed.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
  });

  it('leaves out the SAN when there are no altNames and honours validityDays', async () => {
    const { csrPem } = await createKeyAndCsr({ commonName: 'a' });
    const issued = await issueNodeCertificate({
      ca,
      csrPem,
      nodeId: 'node_a',
      role: 'agent',
      now: NOW,
      validityDays: 30,
    });
    const cert = new X509Certificate(issued.certPem);
    assert.equal(cert.subjectAltName, undefined);
    assert.equal(issued.notAfter, NOW.getTime() + 30 * DAY_MS);
  });

  it('gives every certificate its own serial', async () => {
    const { csrPem } = await createKeyAndCsr({ commonName: 'a' });
    const serials = await Promise.all(
      Array.from({ length: 10 }, () =>
        issueNodeCertificate({ ca, csrPem, nodeId: 'node_a', role: 'agent', now: NOW }),
      ),
    );
    assert.equal(new Set(serials.map((s) => s.serial)).size, 10);
  });

  it('peerIdentity reads back what was issued, for any node id and role', async () => {
    const { csrPem } = await createKeyAndCsr({ commonName: 'any' });
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,40}$/),
        fc.constantFrom<NodeRole>('coordinator', 'agent'),
        async (nodeId, role) => {
          const issued = await issueNodeCertificate({ ca, csrPem, nodeId, role, now: NOW });
          const cert = new X509Certificate(issued.certPem);
          assert.deepEqual(peerIdentity(cert), {
            nodeId,
            role,
            serial: issued.serial,
            fingerprint: cert.fingerprint256.replaceAll(':', '').toLowerCase(),
            notAfter: issued.notAfter,
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('refuses a CSR whose signature was broken by tampering', async () => {
    const { csrPem } = await createKeyAndCsr({ commonName: 'node-a' });
    const der = Buffer.from(x509.PemConverter.decodeFirst(csrPem));
    // Rename the subject after signing: the structure stays valid, the signature does not.
    const at = der.indexOf('node-a');
    assert.ok(at > 0);
    der.write('node-b', at);
    const renamed = x509.PemConverter.encode(der, 'CERTIFICATE REQUEST');
    await assert.rejects(
      issueNodeCertificate({ ca, csrPem: renamed, nodeId: 'node_a', role: 'agent', now: NOW }),
      isValidation(/^csr: the signature does not match its public key$/),
    );
    // A flipped bit in the signature itself.
    const flipped = Buffer.from(x509.PemConverter.decodeFirst(csrPem));
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 0x01;
    await assert.rejects(
      issueNodeCertificate({
        ca,
        csrPem: x509.PemConverter.encode(flipped, 'CERTIFICATE REQUEST'),
        nodeId: 'node_a',
        role: 'agent',
        now: NOW,
      }),
      isValidation(/^csr: /),
    );
  });

  it('refuses RSA and other-curve CSRs', async () => {
    const rsa = await webcrypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    );
    const rsaCsr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=rsa',
      keys: rsa,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' },
    });
    await assert.rejects(
      issueNodeCertificate({
        ca,
        csrPem: rsaCsr.toString('pem'),
        nodeId: 'node_r',
        role: 'agent',
        now: NOW,
      }),
      isValidation(/^csr: unsupported key type RSASSA-PKCS1-v1_5; only ECDSA P-256/),
    );
    const p384 = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
      'sign',
      'verify',
    ]);
    const p384Csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=p384',
      keys: p384,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-384' },
    });
    await assert.rejects(
      issueNodeCertificate({
        ca,
        csrPem: p384Csr.toString('pem'),
        nodeId: 'node_p',
        role: 'agent',
        now: NOW,
      }),
      isValidation(/^csr: unsupported key type ECDSA P-384/),
    );
  });

  it('refuses garbage CSRs and bad inputs', async () => {
    const { csrPem } = await createKeyAndCsr({ commonName: 'a' });
    const base = { ca, csrPem, nodeId: 'node_a', role: 'agent' as const, now: NOW };
    await assert.rejects(
      issueNodeCertificate({ ...base, csrPem: 'nope' }),
      isValidation(/^csr: not a PEM certificate request$/),
    );
    await assert.rejects(
      issueNodeCertificate({
        ...base,
        csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----',
      }),
      isValidation(/^csr: cannot be decoded$/),
    );
    await assert.rejects(
      issueNodeCertificate({ ...base, nodeId: 'a\nOU=coordinator' }),
      isValidation(/node id/),
    );
    await assert.rejects(issueNodeCertificate({ ...base, nodeId: '' }), isValidation(/node id/));
    await assert.rejects(
      issueNodeCertificate({ ...base, role: 'admin' as NodeRole }),
      isValidation(/role/),
    );
    await assert.rejects(
      issueNodeCertificate({ ...base, validityDays: 0 }),
      isValidation(/validityDays/),
    );
    await assert.rejects(
      issueNodeCertificate({ ...base, altNames: { ip: ['coord'] } }),
      isValidation(/altNames.ip/),
    );
    await assert.rejects(
      issueNodeCertificate({ ...base, altNames: { dns: ['a b'] } }),
      isValidation(/altNames.dns/),
    );
    await assert.rejects(
      issueNodeCertificate({ ...base, ca: { ...ca, keyPem: 'broken' } }),
      (error: unknown) => error instanceof AppError && error.code === 'INTERNAL',
    );
  });
});

describe('peerIdentity', () => {
  it('refuses certificates without the cluster identity fields', async () => {
    const foreign = await createTestCa();
    const leaf = await issueLeaf(foreign, { hosts: ['localhost'] });
    assert.throws(
      () => peerIdentity(new X509Certificate(leaf.certPem)),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'UNAUTHORIZED' &&
        /organisation/.test(error.message),
    );
  });
});
