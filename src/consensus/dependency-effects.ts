import type { IncidentCause } from '../domain/incident.ts';
import type { OpenIncidentRef } from '../domain/monitor-state.ts';
import { pushAlert } from './alert-effects.ts';
import type { ConsensusContext, ConsensusStep } from './consensus-state.ts';
import type { DependencyDecision } from './dependencies.ts';
import { judgeDependency } from './dependencies.ts';

// What a monitor's dependencies do to its open incident (pure): link it to a parent's incident
// (its page recorded suppressed), hold its page while a parent is being judged, or let it page
// on its own once no parent explains it any more.

/** True while the open incident's opening page waits for a parent's verdict. */
export function pageHeld(open: OpenIncidentRef | null): boolean {
  return open !== null && (open.heldSince ?? null) !== null;
}

/**
 * Re-judges a linked or waiting incident against its parents now. An incident that already
 * paged on its own is never linked again: its route heard of it, and its recovery must follow.
 * `closing`: the incident resolves in this step, so a waiting page is decided now.
 */
export function settleDependency(
  step: ConsensusStep,
  ctx: ConsensusContext,
  closing = false,
): void {
  const open = step.state.fields.openIncident;
  if (open === null) return;
  const linked = open.causedBy ?? null;
  const heldSince = open.heldSince ?? null;
  if (linked === null && heldSince === null) return;
  const decision = judgeDependency({
    upstream: ctx.upstream ?? [],
    verdict: open.verdict,
    regions: open.regions,
    heldSince,
    now: ctx.now,
    closing,
  });
  apply(step, ctx, open, decision);
}

function apply(
  step: ConsensusStep,
  ctx: ConsensusContext,
  open: OpenIncidentRef,
  decision: DependencyDecision,
): void {
  const linked = open.causedBy ?? null;
  const wasHeld = (open.heldSince ?? null) !== null;
  const opening = {
    kind: open.verdict,
    routes: open.verdict === 'down' ? ('main' as const) : ('regional' as const),
    incident: { id: open.id, startedAt: open.startedAt, endedAt: null },
  };
  switch (decision.action) {
    case 'hold':
      // Its parent recovered while another parent is still being judged: it waits for that.
      if (linked !== null) {
        relink(step, open, null, ctx.now);
      }
      return;
    case 'link':
      if (linked?.incidentId === decision.cause.incidentId) return;
      relink(step, open, decision.cause, null);
      // The page it held is recorded now, suppressed: the parent's page stands for it.
      if (wasHeld) pushAlert(step, { ...opening, cause: 'new-incident' }, null, ctx);
      return;
    case 'page':
      relink(step, open, null, null);
      pushAlert(
        step,
        linked === null
          ? { ...opening, cause: 'dependency-not-down' }
          : { ...opening, cause: 'dependency-recovered', scope: `${open.id}~own` },
        null,
        ctx,
      );
      return;
  }
}

/** Sets the open incident's link and hold; a changed link is an effect the store records. */
function relink(
  step: ConsensusStep,
  open: OpenIncidentRef,
  causedBy: IncidentCause | null,
  heldSince: number | null,
): void {
  const s = step.state;
  s.fields = { ...s.fields, openIncident: { ...open, causedBy, heldSince } };
  const before = open.causedBy ?? null;
  if (before?.incidentId !== causedBy?.incidentId) {
    step.effects.push({ type: 'incident-linked', incidentId: open.id, causedBy });
  }
}
