import { Secret, TOTP } from 'otpauth';

/** RFC 6238 defaults, which every authenticator app understands. */
const PERIOD_S = 30;
const DIGITS = 6;

function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: 'Crosscheck',
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A fresh secret (160 bits, base32) and its otpauth:// URI for the user's app. */
export function newTotpEnrolment(userName: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totpFor(secret, userName).toString() };
}

/**
 * The time step a code belongs to when it is valid at `now` (one step of clock drift either
 * way), else null. Callers refuse a step already used, so a code works once.
 */
export function totpStep(secretBase32: string, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32, 'check').validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD_S) + delta;
}

/** The code at `now` (tests and the CLI's own checks compute codes the same way apps do). */
export function totpCode(secretBase32: string, now: number): string {
  return totpFor(secretBase32, 'code').generate({ timestamp: now });
}
