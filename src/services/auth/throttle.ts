/**
 * Login throttling, pure: a key (a user name, a remote address) may fail a few times freely;
 * after that each failure locks it for twice as long as the last, up to a cap. Success clears
 * the user-name key; quiet keys are forgotten. The caller keeps the entries and the clock.
 */

export interface ThrottlePolicy {
  /** Failures allowed before the first lockout. */
  freeFailures: number;
  /** The first lockout; each further failure doubles it. */
  baseLockMs: number;
  maxLockMs: number;
  /** An unlocked key with no failure for this long starts over. */
  forgetAfterMs: number;
}

/** Per user name: 5 free tries, then 1 s, 2 s, 4 s … up to 15 min. */
export const NAME_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  baseLockMs: 1_000,
  maxLockMs: 900_000,
  forgetAfterMs: 3_600_000,
};

/** Per remote address: more room (several people behind one NAT), the same growth. */
export const ADDRESS_POLICY: ThrottlePolicy = { ...NAME_POLICY, freeFailures: 20 };

export interface ThrottleEntry {
  failures: number;
  lastFailureAt: number;
  /** Epoch ms until which attempts are refused (0 when not locked). */
  lockedUntil: number;
}

/** True when the entry carries nothing any more (so the caller may drop it). */
export function isForgotten(
  entry: ThrottleEntry | undefined,
  now: number,
  policy: ThrottlePolicy,
): boolean {
  if (entry === undefined) return true;
  return now >= entry.lockedUntil && now - entry.lastFailureAt >= policy.forgetAfterMs;
}

/** Milliseconds until the key may try again (0: it may try now). */
export function lockRemainingMs(entry: ThrottleEntry | undefined, now: number): number {
  if (entry === undefined) return 0;
  return Math.max(0, entry.lockedUntil - now);
}

/** The lockout that `failures` failures earn (0 while within the free ones). */
export function lockDurationMs(failures: number, policy: ThrottlePolicy): number {
  const over = failures - policy.freeFailures;
  if (over < 0) return 0;
  // 2^over overflows nothing at these sizes: the exponent is capped before the cap applies.
  return Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** Math.min(over, 40));
}

/** The entry after one more failure at `now`. */
export function recordFailure(
  entry: ThrottleEntry | undefined,
  now: number,
  policy: ThrottlePolicy,
): ThrottleEntry {
  const failures = isForgotten(entry, now, policy) ? 1 : (entry?.failures ?? 0) + 1;
  const lock = lockDurationMs(failures, policy);
  return { failures, lastFailureAt: now, lockedUntil: lock === 0 ? 0 : now + lock };
}
