/**
 * The leader lease's rule (pure): what one coordinator should do now, from what it last saw of
 * the lease row, whether its dedicated connection holds the advisory lock, when it last renewed,
 * and its clock. No I/O; `postgres-lease.ts` is the shell that reads the row and acts.
 *
 * Every time here is one coordinator's own clock (epoch ms). The row's `expiresAt` is written by
 * the holder from its clock (`renewal sampled at r` → `expiresAt = r + ttl`) and read by the
 * others against theirs, so clocks may disagree by up to the skew the margin covers.
 *
 * THE SAFETY INEQUALITY. Let r be the holder's clock when it sampled the time for its latest
 * successful renewal (before sending it), off_h and off_c the holder's and a candidate's clock
 * offsets from true time. The holder acts only while its clock reads below r + ttl − margin, i.e.
 * until true time r − off_h + ttl − margin. A candidate may take over only once its clock reads
 * at least expiresAt = r + ttl, i.e. from true time r − off_c + ttl. So the holder has stopped
 * strictly before anybody may take over whenever
 *
 *     r − off_h + ttl − margin  <  r − off_c + ttl   ⇔   off_c − off_h  <  margin,
 *
 * which holds for every pair when each clock is within margin / 2 of true time. A renewal that
 * commits late (paused in flight) changes nothing: it is conditional on holder and epoch, and
 * its `r` was sampled before it was sent, so its expiry is earlier, never later. Epoch fencing
 * (`fence.ts`) is the backstop for what this inequality cannot cover: a write decided while the
 * lease was held and committed after it lapsed.
 */

/** The lease's timings; see `lease-settings.ts` for their bounds. */
export interface LeaseTimings {
  /** How long a renewal keeps the lease: the row's expiry is the renewal's time plus this. */
  ttlMs: number;
  /** How often the holder renews and a candidate looks at the row. */
  renewEveryMs: number;
  /**
   * How long before expiry the holder stops acting: more than the largest difference between
   * two coordinators' clocks (each within margin / 2 of true time).
   */
  marginMs: number;
}

/** The lease row as one coordinator last read it. */
export interface LeaseRowView {
  /** The holder's coordinator id; null when the lease is free (released or never taken). */
  holder: string | null;
  epoch: number;
  /** Epoch ms on the holder's clock; 0 when free. */
  expiresAt: number;
}

/** Everything the rule looks at, at one instant. */
export interface LeaseInputs {
  self: string;
  /** The row as last read; null when it could not be read at all. */
  row: LeaseRowView | null;
  /** Whether this coordinator's dedicated connection holds the advisory lock. */
  holdsLock: boolean;
  /** The epoch this coordinator acquired; null when it does not hold the lease. */
  heldEpoch: number | null;
  /** Clock time sampled before its last successful renewal (or acquisition); null when not held. */
  lastRenewalAt: number | null;
  now: number;
  timings: LeaseTimings;
  /**
   * After losing the lease a coordinator lets the others try first until this time (its loss
   * + ttl + one renew period: past the row's expiry, by a full turn of everybody's loop), so a
   * leader with a flaky connection does not win its lease straight back. Null: no deference.
   */
  yieldUntil?: number | null;
}

/** Why a holder must stop acting. */
export type StepDownReason =
  /** The last successful renewal is older than ttl − margin: another may take over soon. */
  | 'renewal-overdue'
  /** The dedicated connection (and with it the advisory lock) is gone. */
  | 'connection-lost'
  /** The row names another holder or a newer epoch. */
  | 'taken-over';

export type LeaseDecision =
  | { kind: 'acquire' }
  | { kind: 'renew' }
  /** Not the holder and the lease is not free: look again later. */
  | { kind: 'standby' }
  | { kind: 'step-down'; reason: StepDownReason };

/** Until when a coordinator that lost the lease at `lostAt` lets the others take it first. */
export function yieldAfterLoss(lostAt: number, timings: LeaseTimings): number {
  return lostAt + timings.ttlMs + timings.renewEveryMs;
}

/**
 * Whether a holder may act at `now`: it holds an epoch and its last renewal is younger than
 * ttl − margin. The one predicate behind `current().holding` and the dispatcher's pre-send check,
 * so a process resuming from a pause stops believing before its timers run.
 */
export function isActing(
  lastRenewalAt: number | null,
  now: number,
  timings: LeaseTimings,
): boolean {
  return lastRenewalAt !== null && now - lastRenewalAt < timings.ttlMs - timings.marginMs;
}

/** Whether a candidate may take the lease at `now`: nobody holds it, or its expiry has passed. */
export function isTakeable(row: LeaseRowView, now: number): boolean {
  return row.holder === null || now >= row.expiresAt;
}

/** The rule: one decision for this coordinator at `inputs.now`. */
export function decideLease(inputs: LeaseInputs): LeaseDecision {
  const { row, now, timings } = inputs;
  if (inputs.heldEpoch !== null) {
    const reason = stepDownReason(inputs);
    if (reason !== null) return { kind: 'step-down', reason };
    if (!isActing(inputs.lastRenewalAt, now, timings)) {
      return { kind: 'step-down', reason: 'renewal-overdue' };
    }
    return { kind: 'renew' };
  }
  if (row === null) return { kind: 'standby' };
  const yieldUntil = inputs.yieldUntil ?? null;
  if (yieldUntil !== null && now < yieldUntil) return { kind: 'standby' };
  return isTakeable(row, now) ? { kind: 'acquire' } : { kind: 'standby' };
}

/** A holder's loss that needs no clock: its lock is gone or the row has moved on. */
function stepDownReason(inputs: LeaseInputs): StepDownReason | null {
  if (!inputs.holdsLock) return 'connection-lost';
  const { row } = inputs;
  // An unreadable row is not yet a loss: the clock (renewal-overdue) decides.
  if (row === null) return null;
  if (row.holder !== inputs.self || row.epoch !== inputs.heldEpoch) return 'taken-over';
  return null;
}
