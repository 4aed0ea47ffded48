import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** base64url; 10 characters at least so tokens imported from Uptime Kuma keep working. */
export const PUSH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{10,128}$/;

/** A new ping URL secret: 160 random bits, base64url (27 characters). */
export function newPushToken(): string {
  return randomBytes(20).toString('base64url');
}

/**
 * The key a token is looked up by: its SHA-256. Looking up the digest of what a caller sent
 * leaks nothing useful through timing (the caller cannot steer the digest's bytes).
 */
export function pushTokenKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** Constant-time comparison of two tokens (through their digests, so lengths may differ). */
export function pushTokensEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

/** Where a push monitor's job pings, relative to the API's address (the token is the secret). */
export function pushPath(token: string): string {
  return `/api/v1/push/${encodeURIComponent(token)}`;
}
