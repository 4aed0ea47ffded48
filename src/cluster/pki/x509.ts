// The one place that loads @peculiar/x509: it resolves its parsers through tsyringe, which needs
// the reflect-metadata polyfill loaded first, and it must be pointed at Node's WebCrypto.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as ReturnType<typeof x509.cryptoProvider.get>);

export { x509 };

/** A WebCrypto key pair (Node's type; the DOM lib is not loaded). */
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export type CryptoKey = webcrypto.CryptoKey;

/** Every key and signature in the cluster: ECDSA on P-256 with SHA-256. */
export const SIGNING_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export const DAY_MS = 86_400_000;

/** A fresh, exportable P-256 key pair. */
export async function generateP256Keys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

/** The private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), which node:tls accepts. */
export async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Imports a PKCS#8 PEM P-256 private key for signing; throws if it is not one. */
export async function importSigningKey(keyPem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(keyPem);
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']);
}

/**
 * A random 16-byte serial as lowercase hex. The first byte is kept in 0x01–0x7f so the DER
 * INTEGER is positive and needs no padding byte: the hex then reads the same here, in
 * @peculiar/x509 and in Node's `X509Certificate.serialNumber` (lowercased).
 */
export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = 1 + ((bytes[0] ?? 0) % 0x7f);
  return Buffer.from(bytes).toString('hex');
}
