import { AppError } from '../../lib/errors.ts';
import { loadCa, type KeyPairPem } from './ca.ts';
import { DAY_MS, SIGNING_ALGORITHM, x509 } from './x509.ts';

/** One revoked certificate: its serial (hex, any case) and when it was revoked (ms). */
export interface RevokedSerial {
  serial: string;
  revokedAt: number;
}

const CRL_YEARS = 10;
const HEX = /^[0-9a-f]+$/i;

/** A CRL signed by the CA listing revoked serials (thisUpdate = now, nextUpdate = now + 10 years: we re-issue it on every change). */
export async function createRevocationList(options: {
  ca: KeyPairPem;
  revoked: RevokedSerial[];
  now: Date;
}): Promise<string> {
  for (const entry of options.revoked) {
    if (!HEX.test(entry.serial) || !Number.isFinite(entry.revokedAt)) {
      throw new AppError(
        'VALIDATION',
        `revoked serial ${JSON.stringify(entry.serial)} is not valid`,
      );
    }
  }
  const { cert, signingKey } = await loadCa(options.ca);
  const crl = await x509.X509CrlGenerator.create({
    issuer: cert.subjectName,
    thisUpdate: options.now,
    nextUpdate: new Date(options.now.getTime() + CRL_YEARS * 365 * DAY_MS),
    entries: options.revoked.map((entry) => ({
      serialNumber: entry.serial.toLowerCase(),
      revocationDate: new Date(entry.revokedAt),
    })),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(cert)],
    signingKey,
    signingAlgorithm: SIGNING_ALGORITHM,
  });
  // OpenSSL (node:tls `crl`) only reads the RFC 7468 label; the library writes plain 'CRL'.
  return x509.PemConverter.encode(crl.rawData, 'X509 CRL');
}

/** The serials (lowercase hex) a PEM CRL lists; for tests and `node list` diagnostics. */
export function revokedSerials(crlPem: string): string[] {
  return new x509.X509Crl(crlPem).entries.map((entry) => entry.serialNumber.toLowerCase());
}
