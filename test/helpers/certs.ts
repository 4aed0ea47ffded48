// @peculiar/x509 resolves its parsers through tsyringe, which needs this polyfill loaded first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import type { webcrypto as WebCrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as ReturnType<typeof x509.cryptoProvider.get>);

type CryptoKeyPair = WebCrypto.CryptoKeyPair;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** A certificate and its private key, both PEM, ready for `tls.createServer`. */
export interface PemPair {
  certPem: string;
  keyPem: string;
}

/** A test certificate authority that can sign leaf certificates. */
export interface TestCa extends PemPair {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

/** What a leaf certificate is for and when it is valid. */
export interface LeafSpec {
  /** DNS names and IP addresses for the SAN; the first is also the common name. */
  hosts: readonly string[];
  notBefore?: Date;
  notAfter?: Date;
}

/** The certificates the TLS tests need, all issued (except `selfSigned`) by `ca`. */
export interface TestPki {
  ca: TestCa;
  /** For localhost and 127.0.0.1, valid for 90 days. */
  valid: PemPair;
  /** For localhost and 127.0.0.1, expired yesterday. */
  expired: PemPair;
  /** Self-signed, for localhost and 127.0.0.1. */
  selfSigned: PemPair;
  /** Valid and trusted, but for wrong-host.test only. */
  wrongHost: PemPair;
  /** For localhost and 127.0.0.1, expiring in 3 days (and 1 hour, so "3 days" is stable). */
  expiresIn3Days: PemPair;
}

/** Creates a CA (basicConstraints CA, keyCertSign) with a fresh P-256 key. */
export async function createTestCa(name = 'Crosscheck Test CA'): Promise<TestCa> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 365 * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys, certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys) };
}

/** Issues a server certificate signed by `ca`. */
export async function issueLeaf(ca: TestCa, spec: LeafSpec): Promise<PemPair> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${spec.hosts[0] ?? 'leaf'}`,
    issuer: ca.cert.subject,
    notBefore: spec.notBefore ?? new Date(Date.now() - DAY_MS),
    notAfter: spec.notAfter ?? new Date(Date.now() + 90 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      ...leafExtensions(spec.hosts),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys) };
}

/** Issues a self-signed server certificate (no CA). */
export async function selfSignedLeaf(spec: LeafSpec): Promise<PemPair> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${spec.hosts[0] ?? 'self-signed'}`,
    notBefore: spec.notBefore ?? new Date(Date.now() - DAY_MS),
    notAfter: spec.notAfter ?? new Date(Date.now() + 90 * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: leafExtensions(spec.hosts),
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys) };
}

/** A CA plus every leaf the TLS tests use (about 100 ms). */
export async function createTestPki(): Promise<TestPki> {
  const ca = await createTestCa();
  const local = ['localhost', '127.0.0.1'];
  const now = Date.now();
  const [valid, expired, selfSigned, wrongHost, expiresIn3Days] = await Promise.all([
    issueLeaf(ca, { hosts: local }),
    issueLeaf(ca, {
      hosts: local,
      notBefore: new Date(now - 30 * DAY_MS),
      notAfter: new Date(now - DAY_MS),
    }),
    selfSignedLeaf({ hosts: local }),
    issueLeaf(ca, { hosts: ['wrong-host.test'] }),
    issueLeaf(ca, { hosts: local, notAfter: new Date(now + 3 * DAY_MS + 3_600_000) }),
  ]);
  return { ca, valid, expired, selfSigned, wrongHost, expiresIn3Days };
}

/** The leaves of a test PKI by the short names the TLS tests use for their servers. */
export function leavesByName(pki: TestPki): Record<string, PemPair> {
  return {
    valid: pki.valid,
    expired: pki.expired,
    selfSigned: pki.selfSigned,
    wrongHost: pki.wrongHost,
    soon: pki.expiresIn3Days,
  };
}

function leafExtensions(hosts: readonly string[]): x509.Extension[] {
  const names = hosts.map((host) =>
    /^[\d.]+$/.test(host) || host.includes(':')
      ? { type: 'ip' as const, value: host }
      : { type: 'dns' as const, value: host },
  );
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(names),
  ];
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
}

async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function randomSerial(): string {
  // A positive serial: the first hex digit stays below 8 so the DER integer is not negative.
  return `1${Buffer.from(webcrypto.getRandomValues(new Uint8Array(15))).toString('hex')}`;
}
