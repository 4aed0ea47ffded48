import { AppError } from '../../lib/errors.ts';
import { SIGNING_ALGORITHM, generateP256Keys, privateKeyPem, x509 } from './x509.ts';

/** A fresh P-256 key pair and a CSR (CN = the node's proposed name); the key never leaves the node. */
export async function createKeyAndCsr(options: {
  commonName: string;
}): Promise<{ keyPem: string; csrPem: string }> {
  const keys = await generateP256Keys();
  // JSON name form, not "CN=…": a proposed name with a comma or '=' must not be reparsed.
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [options.commonName] }],
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
  });
  return { keyPem: await privateKeyPem(keys), csrPem: csr.toString('pem') };
}

/** The CSR's subject common name (the node's proposed name), or undefined when it has none. Bad PEM → VALIDATION. */
export function csrCommonName(csrPem: string): string | undefined {
  return decodeCsr(csrPem).subjectName.getField('CN')[0];
}

/**
 * Parses a CSR and checks what the CA relies on: a P-256 ECDSA key and a valid self-signature
 * (proof that the sender holds the private key). Any failure → AppError('VALIDATION', 'csr: <reason>').
 */
export async function verifiedCsr(csrPem: string): Promise<x509.Pkcs10CertificateRequest> {
  const csr = decodeCsr(csrPem);
  const algorithm = csr.publicKey.algorithm as { name?: string; namedCurve?: string };
  if (algorithm.name !== 'ECDSA' || algorithm.namedCurve !== 'P-256') {
    const got = [algorithm.name, algorithm.namedCurve].filter(Boolean).join(' ') || 'unknown';
    throw csrError(`unsupported key type ${got}; only ECDSA P-256 keys are accepted`);
  }
  let valid: boolean;
  try {
    valid = await csr.verify();
  } catch (error) {
    throw csrError('the signature cannot be checked', error);
  }
  if (!valid) throw csrError('the signature does not match its public key');
  return csr;
}

function decodeCsr(csrPem: string): x509.Pkcs10CertificateRequest {
  if (!csrPem.includes('-----BEGIN CERTIFICATE REQUEST-----')) {
    throw csrError('not a PEM certificate request');
  }
  try {
    return new x509.Pkcs10CertificateRequest(csrPem);
  } catch (error) {
    throw csrError('cannot be decoded', error);
  }
}

function csrError(reason: string, cause?: unknown): AppError {
  return new AppError('VALIDATION', `csr: ${reason}`, cause === undefined ? {} : { cause });
}
