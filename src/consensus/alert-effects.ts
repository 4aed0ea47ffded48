import { decideAlert } from '../alerts/policy.ts';
import type { ConsensusRound } from '../domain/consensus.ts';
import type { ConsensusContext, ConsensusStep } from './consensus-state.ts';
import { alertIdempotencyKey } from './consensus-state.ts';
import { stepFlapping } from './flapping.ts';
import type { PlannedAlert } from './verdict-transitions.ts';

// Which alerts a step sends (pure): the cooldown, and flapping's one alert in, one alert out.

/** Adds an alert effect, suppressed while flapping or inside the down cooldown. */
export function pushAlert(
  step: ConsensusStep,
  alert: PlannedAlert,
  round: ConsensusRound,
  ctx: ConsensusContext,
): void {
  const s = step.state;
  const key = alertIdempotencyKey(ctx.monitor.id, alert.incident.id, alert.kind);
  const base = { type: 'alert' as const, ...alert, idempotencyKey: key, round };
  if (s.fields.flappingSince !== null) {
    step.effects.push({ ...base, suppressed: true, reason: 'flapping' });
    return;
  }
  const decision = decideAlert({
    kind: alert.kind === 'regional' ? 'down' : alert.kind,
    now: ctx.now,
    lastDownAlertAt: s.fields.lastDownAlertAt,
    cooldownMs: ctx.monitor.alertCooldownMs,
  });
  if (decision.send && alert.kind !== 'recovered') {
    s.fields = { ...s.fields, lastDownAlertAt: ctx.now };
  }
  step.effects.push({ ...base, suppressed: !decision.send, reason: decision.reason });
}

/** Advances the flap window; returns the transition it made, if any. */
export function advanceFlapping(
  step: ConsensusStep,
  ctx: ConsensusContext,
  changed: boolean,
): 'started' | 'ended' | null {
  const s = step.state;
  const flap = stepFlapping(
    { changes: s.fields.flapChanges, flappingSince: s.fields.flappingSince },
    ctx.now,
    changed,
    ctx.monitor.consensus,
  );
  s.fields = {
    ...s.fields,
    flapChanges: flap.state.changes,
    flappingSince: flap.state.flappingSince,
  };
  return flap.transition;
}

/**
 * One `flapping` alert when it starts (the step's own alerts are suppressed, see `pushAlert`)
 * and one `flapping-ended` when it settles; keyed by when the flapping began.
 */
export function pushFlapAlert(
  step: ConsensusStep,
  transition: 'started' | 'ended',
  flappingSinceBefore: number | null,
  round: ConsensusRound | null,
  ctx: ConsensusContext,
): void {
  const open = step.state.fields.openIncident;
  const kind = transition === 'started' ? 'flapping' : 'flapping-ended';
  const began = transition === 'started' ? ctx.now : (flappingSinceBefore ?? ctx.now);
  step.effects.push({
    type: 'alert',
    kind,
    incident: open === null ? null : { id: open.id, startedAt: open.startedAt, endedAt: null },
    idempotencyKey: alertIdempotencyKey(ctx.monitor.id, `flap-${began}`, kind),
    routes: 'main',
    round,
    suppressed: false,
    reason: kind,
  });
}

/** Between rounds: flapping may end as old changes leave the window. */
export function settleFlapping(step: ConsensusStep, ctx: ConsensusContext): void {
  const s = step.state;
  const since = s.fields.flappingSince;
  if (advanceFlapping(step, ctx, false) !== 'ended') return;
  pushFlapAlert(step, 'ended', since, null, ctx);
  const open = s.fields.openIncident;
  const status = open === null ? (s.fields.verdict === 'unknown' ? 'unknown' : 'up') : open.verdict;
  step.effects.push({ type: 'status-changed', from: s.fields.status, to: status });
  s.fields = { ...s.fields, status, statusSince: ctx.now };
}
