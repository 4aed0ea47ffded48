/** Reconnect pacing: exponential growth with jitter, so a restarted coordinator is not stampeded. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000 };

/**
 * Delay before reconnect attempt `attempt` (0-based): the exponential ceiling
 * min(max, initial·2^attempt), scaled by a random factor in [0.5, 1) drawn from `random`.
 */
export function reconnectDelayMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random / 2));
}
