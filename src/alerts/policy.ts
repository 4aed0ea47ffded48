import type { AlertDelivery, AlertKind } from '../domain/alert.ts';
import type { AlertDeliveryUpdate } from '../store/types.ts';

// Pure alert policy: whether an alert goes out, and when a failed delivery is tried again.
// No I/O and no clock reads: callers pass `now` and a jitter source.

export interface AlertDecisionInput {
  kind: AlertKind;
  now: number;
  /** When the monitor's last down alert was sent (not suppressed); null if never. */
  lastDownAlertAt: number | null;
  cooldownMs: number;
}

export type AlertDecisionReason =
  'recovery' | 'first-down' | 'cooldown-elapsed' | 'within-cooldown';

export interface AlertDecision {
  /** False means the delivery is stored as `suppressed`, so the history still shows it. */
  send: boolean;
  reason: AlertDecisionReason;
}

/**
 * Recoveries always send. A down alert is suppressed only inside the cooldown window
 * `[lastDownAlertAt, lastDownAlertAt + cooldownMs)`; a clock that went backwards (now before
 * the last alert) sends, since a missed page costs more than an extra one.
 */
export function decideAlert(input: AlertDecisionInput): AlertDecision {
  if (input.kind === 'recovered') return { send: true, reason: 'recovery' };
  if (input.lastDownAlertAt === null) return { send: true, reason: 'first-down' };
  const sinceLast = input.now - input.lastDownAlertAt;
  if (sinceLast >= 0 && sinceLast < input.cooldownMs)
    return { send: false, reason: 'within-cooldown' };
  return { send: true, reason: 'cooldown-elapsed' };
}

/** `full`: delay in [0, cap). `equal`: delay in [cap/2, cap), so a retry never comes at once. */
export type JitterMode = 'full' | 'equal';

export interface BackoffOptions {
  baseMs?: number;
  factor?: number;
  maxMs?: number;
  mode?: JitterMode;
  /** Returns a number in [0, 1); values outside are clamped. */
  jitter: () => number;
}

export interface RetryPolicy extends Required<BackoffOptions> {
  /** Attempts (the first send included) after which a delivery is `failed`. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF = {
  baseMs: 1000,
  factor: 2,
  maxMs: 300_000,
  mode: 'equal',
} as const satisfies Omit<Required<BackoffOptions>, 'jitter'>;

export const DEFAULT_MAX_ATTEMPTS = 10;

/** The most a retry after `attempt` failed attempts (1-based) may wait: exponential, capped. */
export function retryDelayCap(
  attempt: number,
  options: Omit<BackoffOptions, 'jitter'> = {},
): number {
  const { baseMs, factor, maxMs } = { ...DEFAULT_BACKOFF, ...options };
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  return Math.min(maxMs, baseMs * factor ** exponent);
}

/** Delay before the next try after `attempt` failed attempts, jittered under its cap. */
export function nextRetryDelay(attempt: number, options: BackoffOptions): number {
  const cap = retryDelayCap(attempt, options);
  const random = Math.min(1, Math.max(0, options.jitter()));
  const mode = options.mode ?? DEFAULT_BACKOFF.mode;
  const delay = mode === 'full' ? cap * random : cap / 2 + (cap / 2) * random;
  return Math.floor(delay);
}

/** What one send attempt came to. */
export type SendOutcome =
  { ok: true } | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

/**
 * The stored state of a delivery after one attempt: `sent`; `pending` with the next try
 * scheduled by backoff (or the receiver's Retry-After when longer, up to `maxMs`); or `failed`
 * for a non-retryable error or once `maxAttempts` is reached.
 */
export function deliveryAfterAttempt(
  delivery: Pick<AlertDelivery, 'attempts' | 'nextAttemptAt' | 'lastError'>,
  outcome: SendOutcome,
  now: number,
  policy: RetryPolicy,
): AlertDeliveryUpdate {
  const attempts = delivery.attempts + 1;
  if (outcome.ok) {
    return {
      status: 'sent',
      attempts,
      nextAttemptAt: delivery.nextAttemptAt,
      lastError: delivery.lastError,
      sentAt: now,
    };
  }
  const failed = { status: 'failed', attempts, nextAttemptAt: now, sentAt: null } as const;
  if (!outcome.retryable) return { ...failed, lastError: outcome.error };
  if (attempts >= policy.maxAttempts) {
    return { ...failed, lastError: `${outcome.error} (gave up after ${attempts} attempts)` };
  }
  const backoff = nextRetryDelay(attempts, policy);
  const requested = Math.min(outcome.retryAfterMs ?? 0, policy.maxMs);
  return {
    status: 'pending',
    attempts,
    nextAttemptAt: now + Math.max(backoff, requested),
    lastError: outcome.error,
    sentAt: null,
  };
}
