import { decideOpeningAlert } from '../alerts/policy.ts';
import type { ConsensusRound } from '../domain/consensus.ts';
import type { ConsensusContext, ConsensusStep } from './consensus-state.ts';
import { alertIdempotencyKey } from './consensus-state.ts';
import { stepFlapping } from './flapping.ts';
import type { PlannedAlert } from './verdict-transitions.ts';
import { isClosing } from './verdict-transitions.ts';

// Which alerts a step sends (pure): openings by the policy keyed on (incident, route, kind),
// closings after the openings they follow, and flapping's one alert in, one alert out.

/**
 * Adds an alert effect. An opening (down, regional) is decided by `decideOpeningAlert` against
 * this incident's own pages on that route; a closing (recovered, retracted) goes to every route
 * the incident's openings were stored for, each sent only after its opening was delivered.
 */
export function pushAlert(
  step: ConsensusStep,
  alert: PlannedAlert,
  round: ConsensusRound | null,
  ctx: ConsensusContext,
): void {
  if (isClosing(alert)) {
    step.effects.push({
      type: 'alert',
      kind: alert.kind,
      incident: alert.incident,
      idempotencyKey: alertIdempotencyKey(ctx.monitor.id, alert.incident.id, alert.kind),
      routes: 'paged',
      round,
      suppressed: false,
      reason: 'follows-page',
    });
    return;
  }
  const s = step.state;
  const open = s.fields.openIncident;
  const pageKey = `${alert.routes}:${alert.kind}`;
  const decision = decideOpeningAlert({
    cause: alert.cause,
    now: ctx.now,
    lastSentAt: open?.id === alert.incident.id ? (open.pages[pageKey] ?? null) : null,
    cooldownMs: ctx.monitor.alertCooldownMs,
    flapping: s.fields.flappingSince !== null,
    paused: ctx.monitor.paused,
    dependencyDown: open?.id === alert.incident.id && (open.causedBy ?? null) !== null,
  });
  if (decision.send && open?.id === alert.incident.id) {
    s.fields = {
      ...s.fields,
      openIncident: { ...open, pages: { ...open.pages, [pageKey]: ctx.now } },
      lastDownAlertAt: ctx.now,
    };
  }
  step.effects.push({
    type: 'alert',
    kind: alert.kind,
    incident: alert.incident,
    idempotencyKey: alertIdempotencyKey(
      ctx.monitor.id,
      alert.scope ?? alert.incident.id,
      alert.kind,
    ),
    routes: alert.routes,
    round,
    suppressed: !decision.send,
    reason: decision.reason,
  });
}

/**
 * When flapping ends with an incident still open and never paged on its route (its opening
 * was suppressed as flapping), it pages now: the user must hear of an outage that outlasted
 * the storm, and its recovery then has a delivered opening to follow.
 */
export function pageAfterFlapping(
  step: ConsensusStep,
  flapStartedAt: number | null,
  ctx: ConsensusContext,
): void {
  const open = step.state.fields.openIncident;
  if (open === null) return;
  const routes = open.verdict === 'down' ? 'main' : 'regional';
  if (open.pages[`${routes}:${open.verdict}`] !== undefined) return;
  pushAlert(
    step,
    {
      kind: open.verdict,
      routes,
      cause: 'still-down-after-flapping',
      incident: { id: open.id, startedAt: open.startedAt, endedAt: null },
      scope: `${open.id}~after-flapping-${flapStartedAt ?? ctx.now}`,
    },
    null,
    ctx,
  );
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
  pageAfterFlapping(step, since, ctx);
  const open = s.fields.openIncident;
  const status = open === null ? (s.fields.verdict === 'unknown' ? 'unknown' : 'up') : open.verdict;
  step.effects.push({ type: 'status-changed', from: s.fields.status, to: status });
  s.fields = { ...s.fields, status, statusSince: ctx.now };
}
