/** Reconnect pacing: exponential growth with jitter, so a restarted coordinator is not stampeded. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000 };

/** The coordinator's liveness rule as the agent knows it (its welcome, else the agent's config). */
export interface LivenessHint {
  heartbeatMs: number;
  /** Silent heartbeats before the coordinator reports a node missing; unknown when absent. */
  graceCount?: number | undefined;
}

/**
 * The longest wait between two attempts: one heartbeat, and at most a third of the grace period
 * when it is known. The coordinator gives every node the grace period from the moment it listens
 * again, so an agent whose backoff had grown while it was down must not sleep past it: with this
 * bound it reconnects within one heartbeat of the restart, with two more attempts to spare.
 */
export function reconnectCapMs(policy: BackoffPolicy, hint: LivenessHint): number {
  const graceBound =
    hint.graceCount === undefined
      ? Number.POSITIVE_INFINITY
      : Math.floor((hint.heartbeatMs * hint.graceCount) / 3);
  return Math.min(policy.maxMs, hint.heartbeatMs, graceBound);
}

/**
 * Delay before reconnect attempt `attempt` (0-based): the exponential ceiling
 * min(cap, initial·2^attempt), scaled by a random factor in [0.5, 1) drawn from `random`, so the
 * agents of a restarted coordinator spread over half a ceiling instead of arriving at once.
 */
export function reconnectDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: number,
  capMs: number = policy.maxMs,
): number {
  const ceiling = Math.min(capMs, policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random / 2));
}
