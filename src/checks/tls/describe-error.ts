/** Human reasons for the certificate verification codes OpenSSL and Node report. */
const REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate issuer is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate issuer is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer is not trusted',
  CERT_SIGNATURE_FAILURE: 'certificate signature is invalid',
  CERT_REVOKED: 'certificate has been revoked',
  CERT_UNTRUSTED: 'certificate is not trusted',
  CERT_REJECTED: 'certificate was rejected',
  INVALID_CA: 'an issuer in the chain is not a valid CA',
  PATH_LENGTH_EXCEEDED: 'certificate chain is too long',
  INVALID_PURPOSE: 'certificate is not valid for server authentication',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname does not match the certificate',
};

/** Codes that say "the issuer chain is not trusted", as opposed to dates or hostname. */
const TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

/** A short human reason for a TLS verification code, e.g. `self-signed certificate`. */
export function describeTlsCode(code: string): string {
  return REASONS[code] ?? code;
}

/** True when the code only says that the chain does not lead to a trusted root. */
export function isChainTrustCode(code: string): boolean {
  return TRUST_CODES.has(code);
}

/**
 * Message for a TLS failure thrown by a client connection. Hostname mismatches carry
 * Node's reason (which names the certificate's names); other codes get a short reason.
 */
export function describeTlsError(error: unknown): string {
  const code = errorProperty(error, 'code');
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const host = errorProperty(error, 'host') ?? 'the host';
    return `TLS error: hostname mismatch: ${host} is not in the certificate's names (${certificateNames(error)})`;
  }
  if (code !== undefined && code in REASONS) return `TLS error: ${describeTlsCode(code)} (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  return `TLS error: ${code ?? message}`;
}

/** The SAN list Node attaches to a hostname-mismatch error (`cert.subjectaltname`). */
function certificateNames(error: unknown): string {
  const cert =
    typeof error === 'object' && error !== null && 'cert' in error ? error.cert : undefined;
  const names =
    typeof cert === 'object' && cert !== null && 'subjectaltname' in cert
      ? cert.subjectaltname
      : undefined;
  return typeof names === 'string' && names !== '' ? names : 'none';
}

function errorProperty(error: unknown, key: 'code' | 'host'): string | undefined {
  if (typeof error !== 'object' || error === null || !(key in error)) return undefined;
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}
