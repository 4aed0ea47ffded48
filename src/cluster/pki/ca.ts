import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { AppError } from '../../lib/errors.ts';
import {
  DAY_MS,
  SIGNING_ALGORITHM,
  generateP256Keys,
  importSigningKey,
  privateKeyPem,
  randomSerial,
  x509,
  type CryptoKey,
} from './x509.ts';

/** A certificate and its private key, both PEM. */
export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

const CA_YEARS = 10;
/** Certificates start a little in the past so a node whose clock is behind still accepts them. */
export const BACKDATE_MS = 5 * 60_000;

/** New self-signed cluster CA: P-256, basicConstraints cA critical, keyUsage keyCertSign+cRLSign, SKI; 10 years. */
export async function createClusterCa(options: {
  now: Date;
  commonName?: string;
}): Promise<KeyPairPem> {
  // A random suffix keeps two clusters' CA names apart, so a foreign-CA refusal is not
  // confused with a name match whose signature then fails.
  const commonName =
    options.commonName ?? `Crosscheck cluster CA ${randomBytes(4).toString('hex')}`;
  const keys = await generateP256Keys();
  const notBefore = new Date(options.now.getTime() - BACKDATE_MS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [commonName] }, { O: ['crosscheck'] }],
    notBefore,
    notAfter: new Date(options.now.getTime() + CA_YEARS * 365 * DAY_MS),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys) };
}

/** Lowercase hex SHA-256 of the certificate's DER (the token's `caSha256`). */
export function certificateFingerprint(certPem: string): string {
  return createHash('sha256').update(parseCertificate(certPem, 'certificate').raw).digest('hex');
}

/** Parses the first certificate of a PEM text; a bad one is a VALIDATION error naming `what`. */
export function parseCertificate(certPem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(certPem);
  } catch (error) {
    throw new AppError('VALIDATION', `${what}: not a PEM certificate`, { cause: error });
  }
}

/** The CA certificate and its signing key, ready to sign; an unreadable pair is an INTERNAL error (our own files). */
export async function loadCa(
  ca: KeyPairPem,
): Promise<{ cert: x509.X509Certificate; signingKey: CryptoKey }> {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(ca.certPem);
  } catch (error) {
    throw new AppError('INTERNAL', 'the CA certificate cannot be read', { cause: error });
  }
  try {
    return { cert, signingKey: await importSigningKey(ca.keyPem) };
  } catch (error) {
    throw new AppError('INTERNAL', 'the CA key cannot be read (expected a PKCS#8 P-256 key)', {
      cause: error,
    });
  }
}
