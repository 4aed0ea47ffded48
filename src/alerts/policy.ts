import type { AlertDelivery, AlertDeliveryUpdate } from '../domain/alert.ts';

// Pure alert policy: whether an alert goes out, and when a failed delivery is tried again.
// No I/O and no clock reads: callers pass `now` and a jitter source.

/** Why an opening alert (down, regional) is about to go out. */
export type OpeningCause =
  /** The incident was just confirmed. */
  | 'new-incident'
  /** A regional incident widened to everyone: the main routes hear of it now. */
  | 'escalation'
  /** A regional incident spread to more regions. */
  | 'spread'
  /** Flapping ended while the incident was still open and unpaged on this route. */
  | 'still-down-after-flapping'
  /** Every parent it was linked to recovered and it is still down: it pages on its own. */
  | 'dependency-recovered'
  /** Its page waited for a failing parent's verdict, and no parent was confirmed down. */
  | 'dependency-not-down';

export interface OpeningAlertInput {
  cause: OpeningCause;
  now: number;
  /** When this incident last paged this route with this kind (sent, not suppressed); null if never. */
  lastSentAt: number | null;
  cooldownMs: number;
  /** The monitor is flapping: one `flapping` alert stands for the whole storm. */
  flapping: boolean;
  /** The monitor is paused: the user asked for silence. */
  paused: boolean;
  /**
   * The incident is linked to the confirmed incident of a monitor it depends on: that one's
   * page stands for both. Absent means false.
   */
  dependencyDown?: boolean;
}

/** Why an alert was sent or suppressed; stored with every delivery (the alert log shows it). */
export type AlertDecisionReason =
  OpeningCause | 'cooldown-elapsed' | 'within-cooldown' | 'flapping' | 'paused' | 'dependency-down';

export interface AlertDecision {
  /** False means the delivery is stored as `suppressed`, so the history still shows it. */
  send: boolean;
  reason: AlertDecisionReason;
}

/**
 * Whether an opening alert (down, regional) goes out, keyed on (incident, route, kind): a new
 * incident always pages, whatever happened before it; only a pause, a confirmed-down parent (its
 * page stands for the child's) and flapping (the storm guard) suppress it. The cooldown stops nothing but repeats of the same kind, for the same
 * incident, on the same route, inside `[lastSentAt, lastSentAt + cooldownMs)`; a clock that went
 * backwards sends, since a missed page costs more than an extra one.
 *
 * Closing alerts (recovered, retracted) are not decided here: each follows the opening that
 * reached its route, exactly when that opening was delivered (see `store/sql/follow-ups.ts`
 * and the dispatcher).
 */
export function decideOpeningAlert(input: OpeningAlertInput): AlertDecision {
  if (input.paused) return { send: false, reason: 'paused' };
  if (input.dependencyDown === true) return { send: false, reason: 'dependency-down' };
  if (input.flapping) return { send: false, reason: 'flapping' };
  if (input.lastSentAt === null) return { send: true, reason: input.cause };
  const sinceLast = input.now - input.lastSentAt;
  if (sinceLast >= 0 && sinceLast < input.cooldownMs)
    return { send: false, reason: 'within-cooldown' };
  return { send: true, reason: 'cooldown-elapsed' };
}

/** What a closing alert (recovered, retracted) does, given the state of the opening it follows. */
export type FollowUpDecision =
  | { action: 'send' }
  /** The opening is still being delivered: the closing waits, so it never arrives first. */
  | { action: 'wait' }
  | { action: 'suppress'; reason: 'opening-suppressed' | 'opening-failed' | 'opening-missing' };

/**
 * A closing alert goes out exactly when its opening reached the same route: after a `sent`
 * opening it sends; while the opening is `pending` it waits; after a suppressed or failed
 * opening (or one no longer stored) it is recorded as suppressed, since telling a route
 * "recovered" about an outage it never heard of is noise.
 */
export function decideFollowUp(opening: AlertDelivery['status'] | null): FollowUpDecision {
  switch (opening) {
    case 'sent':
      return { action: 'send' };
    case 'pending':
    case 'held':
      return { action: 'wait' };
    case 'suppressed':
      return { action: 'suppress', reason: 'opening-suppressed' };
    case 'failed':
      return { action: 'suppress', reason: 'opening-failed' };
    case null:
      return { action: 'suppress', reason: 'opening-missing' };
  }
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
  | { ok: true; providerRef?: string }
  | { ok: false; retryable: boolean; error: string; retryAfterMs?: number };

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
      ...(outcome.providerRef === undefined ? {} : { providerRef: outcome.providerRef }),
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
