import type { CheckDetails, CheckResult, PhaseTimings } from '../../domain/check-result.ts';
import { degradedResult, downResult, upResult } from '../outcome.ts';
import { describeTlsCode, isChainTrustCode } from './describe-error.ts';
import { daysRemaining, formatDays } from './expiry.ts';
import { oneLine } from './names.ts';

/** What a handshake revealed about the server's certificate (read without rejecting it). */
export interface CertificateFacts {
  /** OpenSSL's verification code (`CERT_HAS_EXPIRED`, `DEPTH_ZERO_SELF_SIGNED_CERT`…), if any. */
  authorizationError: string | undefined;
  /** The host the check connected to, and whether the certificate covers it. */
  host: string;
  hostnameMatches: boolean;
  validFrom: Date;
  validTo: Date;
  subject: string;
  issuer: string;
  subjectAltNames: readonly string[];
  fingerprint256: string;
  serialNumber: string;
  protocol: string | null;
}

/** How strict to be: days of warning before expiry, and whether chain trust is ignored. */
export interface TlsJudgeOptions {
  warnDays: number;
  insecure: boolean;
}

/** Codes our own checks already cover (dates against the clock, hostname via checkServerIdentity). */
const SEPARATELY_CHECKED = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Judges a certificate: expired, not yet valid, untrusted chain (unless `insecure`) or
 * hostname mismatch → down/tls; expiring within `warnDays` → degraded; otherwise up.
 */
export function judgeCertificate(
  facts: CertificateFacts,
  options: TlsJudgeOptions,
  now: number,
  latencyMs: number,
  timings: PhaseTimings,
): CheckResult {
  const details = certificateDetails(facts, now);
  const down = (message: string): CheckResult =>
    downResult('tls', latencyMs, message, timings, details);
  if (now > facts.validTo.getTime()) return down(`certificate expired on ${isoDay(facts.validTo)}`);
  if (now < facts.validFrom.getTime())
    return down(`certificate is not valid until ${isoDay(facts.validFrom)}`);
  const chainCode = chainProblem(facts.authorizationError);
  if (chainCode !== undefined && !(options.insecure && isChainTrustCode(chainCode)))
    return down(`certificate not trusted: ${describeTlsCode(chainCode)}`);
  if (!facts.hostnameMatches) {
    const names = facts.subjectAltNames.join(', ') || oneLine(facts.subject);
    return down(`hostname mismatch: ${facts.host} is not in the certificate's names (${names})`);
  }
  const days = daysRemaining(facts.validTo, now);
  if (days < options.warnDays)
    return degradedResult(
      latencyMs,
      `certificate expires in ${formatDays(days)}`,
      timings,
      details,
    );
  return upResult(latencyMs, `certificate valid for ${formatDays(days)}`, timings, details);
}

/** The verification code that is about the chain itself, if any. */
function chainProblem(code: string | undefined): string | undefined {
  return code === undefined || SEPARATELY_CHECKED.has(code) ? undefined : code;
}

/** The facts worth storing about a certificate. */
export function certificateDetails(facts: CertificateFacts, now: number): CheckDetails {
  const chainError =
    facts.authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? undefined
      : facts.authorizationError;
  return {
    certDaysRemaining: daysRemaining(facts.validTo, now),
    certValidFrom: facts.validFrom.toISOString(),
    certValidTo: facts.validTo.toISOString(),
    certSubject: oneLine(facts.subject),
    certIssuer: oneLine(facts.issuer),
    certSans: facts.subjectAltNames,
    certFingerprint256: facts.fingerprint256,
    certSerial: facts.serialNumber,
    tlsProtocol: facts.protocol,
    chainValid: chainError === undefined,
    chainError: chainError ?? null,
    hostnameMatch: facts.hostnameMatches,
  };
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
