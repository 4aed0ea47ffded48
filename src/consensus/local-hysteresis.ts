import type { CheckStatus } from '../domain/check-result.ts';
import type { SignalKind } from '../domain/consensus.ts';

/**
 * One node's own view of one monitor: the current streak and whether this node holds it
 * suspect. Pure data; the vantage point keeps one per monitor.
 */
export interface LocalView {
  /** Consecutive failing results (0 after a success). */
  failures: number;
  /** Consecutive passing results (0 after a failure). */
  successes: number;
  /** True between a `suspect` signal and the next `recovered` one. */
  suspect: boolean;
  /** `checkedAt` of the first failure of the current failing streak; null without one. */
  failureSince: number | null;
  /** `checkedAt` of the first success of the current passing streak; null without one. */
  successSince: number | null;
}

/** The thresholds of one monitor (consecutive results needed to cross). */
export interface LocalThresholds {
  failureThreshold: number;
  recoveryThreshold: number;
}

/**
 * How one result weighs on the streaks: `node-error` (the check could not run because of this
 * node) says nothing about the target, so it neither extends nor breaks a streak.
 */
export type LocalOutcome = 'failing' | 'passing' | 'node-error';

/** What the hysteresis needs of one result. */
export interface LocalObservation {
  outcome: LocalOutcome;
  checkedAt: number;
}

/** A threshold crossing: `since` is the first result of the streak that crossed it. */
export interface LocalSignal {
  kind: SignalKind;
  since: number;
}

/** A view nobody has reported on yet (not suspect, no streak). */
export const INITIAL_LOCAL_VIEW: LocalView = {
  failures: 0,
  successes: 0,
  suspect: false,
  failureSince: null,
  successSince: null,
};

/** Whether a result counts as a failure: down, or degraded on a monitor that treats it as down. */
export function isFailing(status: CheckStatus, degradedIsDown: boolean): boolean {
  return status === 'down' || (status === 'degraded' && degradedIsDown);
}

/** How a result of this status weighs on the streaks (see `LocalOutcome`). */
export function localOutcome(status: CheckStatus, degradedIsDown: boolean): LocalOutcome {
  if (status === 'error') return 'node-error';
  return isFailing(status, degradedIsDown) ? 'failing' : 'passing';
}

/**
 * Applies one result: `failureThreshold` consecutive failures while not suspect make the view
 * suspect; `recoveryThreshold` consecutive successes while suspect clear it. At most one signal
 * per result, and signals alternate (suspect first). A node error leaves the view as it was.
 */
export function applyLocalResult(
  view: LocalView,
  observation: LocalObservation,
  thresholds: LocalThresholds,
): { view: LocalView; signal: LocalSignal | null } {
  const { outcome, checkedAt } = observation;
  if (outcome === 'node-error') return { view, signal: null };
  if (outcome === 'failing') {
    const failureSince = view.failures === 0 ? checkedAt : (view.failureSince ?? checkedAt);
    const next: LocalView = {
      ...view,
      failures: view.failures + 1,
      successes: 0,
      failureSince,
      successSince: null,
    };
    // `>=` rather than `===`: a threshold lowered mid-streak still crosses on the next failure.
    if (!view.suspect && next.failures >= thresholds.failureThreshold)
      return { view: { ...next, suspect: true }, signal: { kind: 'suspect', since: failureSince } };
    return { view: next, signal: null };
  }
  const successSince = view.successes === 0 ? checkedAt : (view.successSince ?? checkedAt);
  const next: LocalView = {
    ...view,
    failures: 0,
    successes: view.successes + 1,
    failureSince: null,
    successSince,
  };
  if (view.suspect && next.successes >= thresholds.recoveryThreshold)
    return {
      view: { ...next, suspect: false },
      signal: { kind: 'recovered', since: successSince },
    };
  return { view: next, signal: null };
}
