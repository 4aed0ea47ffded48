import { decideAlert } from '../alerts/policy.ts';
import type { AlertKind } from '../domain/alert.ts';
import type { CheckStatus, ErrorKind } from '../domain/check-result.ts';
import type { Incident } from '../domain/incident.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';

/** The parts of a monitor's configuration the state machine needs. */
export interface StatePolicy {
  monitorId: string;
  failureThreshold: number;
  recoveryThreshold: number;
  degradedIsDown: boolean;
  alertCooldownMs: number;
}

/** The parts of a check result the state machine needs. */
export interface ObservedResult {
  status: CheckStatus;
  checkedAt: number;
  latencyMs: number;
  message: string;
  errorKind: ErrorKind | null;
}

export type StateEffect =
  | {
      type: 'status-changed';
      from: MonitorRuntimeState['status'];
      to: MonitorRuntimeState['status'];
    }
  | { type: 'incident-opened'; incident: Incident }
  | {
      type: 'incident-resolved';
      incidentId: string;
      startedAt: number;
      endedAt: number;
      resolvedAt: number;
      durationMs: number;
    }
  | {
      type: 'alert';
      kind: AlertKind;
      incidentId: string;
      idempotencyKey: string;
      /** The incident's timeline as known at this transition. */
      startedAt: number;
      endedAt: number | null;
      durationMs: number | null;
      /** True when the alert policy suppressed it (cooldown); it is recorded, not sent. */
      suppressed: boolean;
      reason: string;
    };

export interface StateStep {
  state: MonitorRuntimeState;
  effects: StateEffect[];
}

/** Idempotency key of one alert: the same monitor, incident and transition always give the same key. */
export function alertIdempotencyKey(
  monitorId: string,
  incidentId: string,
  kind: AlertKind,
): string {
  return `${monitorId}:${incidentId}:${kind}`;
}

/**
 * Applies one result to a monitor's state (pure: state + result + clock → state + effects).
 * `failureThreshold` consecutive failures open an incident, `recoveryThreshold` consecutive
 * successes resolve it. `newIncidentId` is used only when this step opens an incident.
 */
export function applyResult(
  state: MonitorRuntimeState,
  result: ObservedResult,
  policy: StatePolicy,
  now: number,
  newIncidentId: string,
): StateStep {
  const failing =
    result.status === 'down' || (policy.degradedIsDown && result.status === 'degraded');
  const observed: MonitorRuntimeState = {
    ...state,
    lastCheckedAt: result.checkedAt,
    lastResultStatus: result.status,
    lastLatencyMs: result.latencyMs,
    lastMessage: result.message,
    lastErrorKind: result.errorKind,
  };
  const step = failing
    ? onFailure(observed, result, policy, now, newIncidentId)
    : onSuccess(observed, result, policy, now);
  if (step.state.status !== state.status) {
    step.state.statusSince = result.checkedAt;
    step.effects.unshift({ type: 'status-changed', from: state.status, to: step.state.status });
  }
  return step;
}

function onFailure(
  state: MonitorRuntimeState,
  result: ObservedResult,
  policy: StatePolicy,
  now: number,
  newIncidentId: string,
): StateStep {
  const next: MonitorRuntimeState = {
    ...state,
    consecutiveFailures: state.consecutiveFailures + 1,
    consecutiveSuccesses: 0,
    successStreakStartedAt: null,
    failureStreakStartedAt: state.failureStreakStartedAt ?? result.checkedAt,
  };
  if (next.openIncident !== null || next.consecutiveFailures < policy.failureThreshold) {
    return { state: next, effects: [] };
  }
  const startedAt = next.failureStreakStartedAt ?? result.checkedAt;
  const incident: Incident = {
    id: newIncidentId,
    monitorId: policy.monitorId,
    status: 'open',
    startedAt,
    openedAt: now,
    endedAt: null,
    resolvedAt: null,
    durationMs: null,
    errorKind: result.errorKind,
    cause: result.message,
  };
  const decision = decideAlert({
    kind: 'down',
    now,
    lastDownAlertAt: state.lastDownAlertAt,
    cooldownMs: policy.alertCooldownMs,
  });
  next.status = 'down';
  next.openIncident = { id: newIncidentId, startedAt };
  if (decision.send) next.lastDownAlertAt = now;
  return {
    state: next,
    effects: [
      { type: 'incident-opened', incident },
      alertEffect(
        policy.monitorId,
        'down',
        newIncidentId,
        { startedAt, endedAt: null, durationMs: null },
        decision,
      ),
    ],
  };
}

function onSuccess(
  state: MonitorRuntimeState,
  result: ObservedResult,
  policy: StatePolicy,
  now: number,
): StateStep {
  const next: MonitorRuntimeState = {
    ...state,
    consecutiveSuccesses: state.consecutiveSuccesses + 1,
    consecutiveFailures: 0,
    failureStreakStartedAt: null,
    successStreakStartedAt: state.successStreakStartedAt ?? result.checkedAt,
  };
  const open = next.openIncident;
  if (open === null) {
    next.status = result.status === 'degraded' ? 'degraded' : 'up';
    return { state: next, effects: [] };
  }
  if (next.consecutiveSuccesses < policy.recoveryThreshold) return { state: next, effects: [] };
  const endedAt = next.successStreakStartedAt ?? result.checkedAt;
  const durationMs = Math.max(0, endedAt - open.startedAt);
  next.openIncident = null;
  next.status = result.status === 'degraded' ? 'degraded' : 'up';
  const decision = decideAlert({
    kind: 'recovered',
    now,
    lastDownAlertAt: state.lastDownAlertAt,
    cooldownMs: policy.alertCooldownMs,
  });
  return {
    state: next,
    effects: [
      {
        type: 'incident-resolved',
        incidentId: open.id,
        startedAt: open.startedAt,
        endedAt,
        resolvedAt: now,
        durationMs,
      },
      alertEffect(
        policy.monitorId,
        'recovered',
        open.id,
        { startedAt: open.startedAt, endedAt, durationMs },
        decision,
      ),
    ],
  };
}

type AlertEffect = Extract<StateEffect, { type: 'alert' }>;

function alertEffect(
  monitorId: string,
  kind: AlertKind,
  incidentId: string,
  timeline: Pick<AlertEffect, 'startedAt' | 'endedAt' | 'durationMs'>,
  decision: { send: boolean; reason: string },
): AlertEffect {
  return {
    type: 'alert',
    kind,
    incidentId,
    idempotencyKey: alertIdempotencyKey(monitorId, incidentId, kind),
    ...timeline,
    suppressed: !decision.send,
    reason: decision.reason,
  };
}
