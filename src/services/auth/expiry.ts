import type { ApiToken, Session } from '../../domain/auth.ts';

/** Why a token cannot be used, or `usable`. */
export type TokenState = 'usable' | 'revoked' | 'expired';

/** A token works until it is revoked or its expiry (exclusive) passes. */
export function tokenState(
  token: Pick<ApiToken, 'revokedAt' | 'expiresAt'>,
  now: number,
): TokenState {
  if (token.revokedAt !== null && token.revokedAt <= now) return 'revoked';
  if (token.expiresAt !== null && now >= token.expiresAt) return 'expired';
  return 'usable';
}

export interface SessionPolicy {
  /** A session unused for this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however busy. */
  absoluteMs: number;
  /** `lastSeenAt` is rewritten at most this often (a write per request would be wasteful). */
  touchEveryMs: number;
}

export const SESSION_POLICY: SessionPolicy = {
  idleMs: 12 * 3_600_000,
  absoluteMs: 7 * 86_400_000,
  touchEveryMs: 60_000,
};

/** True while the session is neither idle too long nor past its absolute end. */
export function sessionLive(
  session: Pick<Session, 'expiresAt' | 'lastSeenAt'>,
  now: number,
  policy: SessionPolicy,
): boolean {
  return now < session.expiresAt && now - session.lastSeenAt < policy.idleMs;
}

/** True when a use at `now` should be recorded (the last record is old enough). */
export function shouldTouch(lastAt: number | null, now: number, everyMs: number): boolean {
  return lastAt === null || now - lastAt >= everyMs;
}
