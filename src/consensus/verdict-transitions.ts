import type { OpeningCause } from '../alerts/policy.ts';
import type { ClosingAlertKind } from '../domain/alert.ts';
import type { IncidentVerdict, Vote, VoteEvidence } from '../domain/consensus.ts';
import type { Incident } from '../domain/incident.ts';
import type { OpenIncidentRef } from '../domain/monitor-state.ts';
import type {
  AlertRoutes,
  ConsensusContext,
  ConsensusFields,
  ConsensusStep,
  MonitorConsensusState,
} from './consensus-state.ts';
import type { QuorumJudgement } from './quorum.ts';
import type { ActiveRound } from './round.ts';
import { dependencyAtOpening } from './dependencies.ts';

// What a round's verdict does to a monitor's incident (pure): open, escalate, resolve.

/** The monitor's status after a decision. */
export function statusOf(
  fields: ConsensusFields,
  judgement: QuorumJudgement,
): ConsensusFields['status'] {
  if (fields.flappingSince !== null) return 'flapping';
  if (fields.openIncident !== null) return fields.openIncident.verdict;
  if (judgement.verdict === 'unknown') return 'unknown';
  return 'up';
}

/** The incident an alert is about, as alerts carry it. */
export interface AlertIncident {
  id: string;
  startedAt: number;
  endedAt: number | null;
}

/** An opening alert a transition calls for, before the alert policy. */
export interface PlannedOpening {
  kind: 'down' | 'regional';
  routes: AlertRoutes;
  cause: OpeningCause;
  incident: AlertIncident;
  /** Idempotency scope when not the incident id (a repeat of the same kind needs its own). */
  scope?: string;
}

/** A closing alert: it follows whatever openings of the incident reached each route. */
export interface PlannedClosing {
  kind: ClosingAlertKind;
  incident: AlertIncident;
}

export type PlannedAlert = PlannedOpening | PlannedClosing;

/** True for a closing alert (recovered, retracted). */
export function isClosing(alert: PlannedAlert): alert is PlannedClosing {
  return alert.kind === 'recovered' || alert.kind === 'retracted';
}

/** What a verdict changed. */
export interface VerdictTransition {
  incidentId: string | null;
  /** An incident opened or resolved (a confirmed change, counted for flapping). */
  changed: boolean;
  alerts: PlannedAlert[];
}

/** Applies a round's judgement to the monitor's incident; pushes incident effects. */
export function applyVerdict(
  step: ConsensusStep,
  round: ActiveRound,
  judgement: QuorumJudgement,
  ctx: ConsensusContext,
): VerdictTransition {
  const s = step.state;
  const open = s.fields.openIncident;
  const { verdict } = judgement;
  if (verdict === 'down' || verdict === 'regional') {
    const regions = verdict === 'regional' ? judgement.failingRegions : [];
    if (open === null) {
      const incident = openIncident(s, round, judgement, verdict, regions, ctx);
      step.effects.push({ type: 'incident-opened', incident });
      const ref = { id: incident.id, startedAt: incident.startedAt, endedAt: null };
      const routes = verdict === 'down' ? 'main' : 'regional';
      // A page waiting for a parent's verdict goes out (or is recorded) when that is known.
      const held = (s.fields.openIncident?.heldSince ?? null) !== null;
      return {
        incidentId: incident.id,
        changed: true,
        alerts: held ? [] : [{ kind: verdict, routes, cause: 'new-incident', incident: ref }],
      };
    }
    const ref = { id: open.id, startedAt: open.startedAt, endedAt: null };
    // Once confirmed down an incident stays a down incident; a regional one escalates.
    const next =
      open.verdict === 'down' ? { verdict: 'down' as const, regions: [] } : { verdict, regions };
    if (next.verdict === open.verdict && sameList(next.regions, open.regions)) {
      return { incidentId: open.id, changed: false, alerts: [] };
    }
    s.fields = { ...s.fields, openIncident: { ...open, ...next } };
    step.effects.push({ type: 'incident-updated', incidentId: open.id, ...next });
    return { incidentId: open.id, changed: false, alerts: widening(open, next, ref) };
  }
  if (open === null || !judgement.healthyQuorum) {
    return { incidentId: null, changed: false, alerts: [] };
  }
  const endedAt = Math.max(open.startedAt, recoveryStart(s, round, judgement, ctx.now));
  const durationMs = endedAt - open.startedAt;
  step.effects.push({
    type: 'incident-resolved',
    incidentId: open.id,
    startedAt: open.startedAt,
    endedAt,
    resolvedAt: ctx.now,
    durationMs,
  });
  s.fields = { ...s.fields, openIncident: null, lastEndedAt: endedAt };
  return {
    incidentId: open.id,
    changed: true,
    alerts: [{ kind: 'recovered', incident: { id: open.id, startedAt: open.startedAt, endedAt } }],
  };
}

/**
 * Pages for an open incident that grew: regional → down pages the main routes (escalation); a
 * regional one naming a region it did not name before pages the regional routes again (spread,
 * subject to the per-incident cooldown). A shrinking incident pages nobody.
 */
function widening(
  open: OpenIncidentRef,
  next: { verdict: IncidentVerdict; regions: string[] },
  ref: AlertIncident,
): PlannedAlert[] {
  if (open.verdict === 'regional' && next.verdict === 'down') {
    return [{ kind: 'down', routes: 'main', cause: 'escalation', incident: ref }];
  }
  const added = next.regions.filter((region) => !open.regions.includes(region));
  if (next.verdict !== 'regional' || added.length === 0) return [];
  return [
    {
      kind: 'regional',
      routes: 'regional',
      cause: 'spread',
      incident: ref,
      scope: `${open.id}~${next.regions.join('+')}`,
    },
  ];
}

function openIncident(
  s: MonitorConsensusState,
  round: ActiveRound,
  judgement: QuorumJudgement,
  verdict: IncidentVerdict,
  regions: string[],
  ctx: ConsensusContext,
): Incident {
  let startedAt = ctx.now;
  let evidence: VoteEvidence | undefined;
  for (const nodeId of judgement.failingNodes) {
    const answer = round.answers[nodeId];
    const view = s.views[nodeId];
    const since = Math.min(
      answer?.since ?? Number.POSITIVE_INFINITY,
      view?.suspect ? view.since : Number.POSITIVE_INFINITY,
      answer?.reply.evidence.checkedAt ?? Number.POSITIVE_INFINITY,
    );
    if (since < startedAt) startedAt = since;
    if (nodeId === round.triggeredBy || evidence === undefined) evidence = answer?.reply.evidence;
  }
  // A node failing since before the last incident ended dates this one from that end, not
  // into the previous incident (incidents of one monitor never overlap).
  const lastEnded = s.fields.lastEndedAt;
  if (lastEnded !== null && startedAt <= lastEnded) startedAt = Math.min(lastEnded + 1, ctx.now);
  const id = ctx.newId('inc');
  const confirmedBy = [...judgement.failingNodes];
  const dependency = dependencyAtOpening(ctx.upstream, verdict, regions, ctx.now);
  s.fields = {
    ...s.fields,
    openIncident: {
      id,
      startedAt,
      verdict,
      regions,
      openedAt: ctx.now,
      confirmedBy,
      pages: {},
      ...dependency,
    },
  };
  return {
    id,
    monitorId: ctx.monitor.id,
    status: 'open',
    startedAt,
    openedAt: ctx.now,
    endedAt: null,
    resolvedAt: null,
    durationMs: null,
    errorKind: evidence?.errorKind ?? null,
    cause: evidence?.message ?? 'confirmed by quorum',
    verdict,
    regions,
    retractedAt: null,
    retraction: null,
    acknowledgement: null,
    maintenance: null,
    causedBy: dependency.causedBy ?? null,
    groupId: null,
  };
}

/** Earliest start of the passing streaks the recovery rests on (coordinator clock). */
function recoveryStart(
  s: MonitorConsensusState,
  round: ActiveRound,
  judgement: QuorumJudgement,
  now: number,
): number {
  const failing = new Set(judgement.failingNodes);
  let earliest = now;
  for (const [nodeId, answer] of Object.entries(round.answers)) {
    if (failing.has(nodeId) || answer.reply.outcome !== 'ok') continue;
    const view = s.views[nodeId];
    const since = answer.since ?? (view && !view.suspect ? view.since : null);
    const at = since ?? answer.reply.evidence.checkedAt ?? now;
    if (at < earliest) earliest = at;
  }
  return earliest;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * Withdraws the open incident: a reconfirm round (its deciding votes came from nodes found
 * impaired or abstaining right after) did not confirm it. It is recorded as retracted with the
 * reason, counts as no downtime and no confirmed change, and every route it paged hears so.
 */
export function retractIncident(
  step: ConsensusStep,
  votes: readonly Vote[],
  judgement: QuorumJudgement,
  ctx: ConsensusContext,
): VerdictTransition {
  const s = step.state;
  const open = s.fields.openIncident;
  if (open === null) return { incidentId: null, changed: false, alerts: [] };
  const reason = retractionReason(open, votes, judgement);
  step.effects.push({
    type: 'incident-retracted',
    incidentId: open.id,
    retractedAt: ctx.now,
    reason,
  });
  s.fields = {
    ...s.fields,
    openIncident: null,
    // It was never a confirmed change: it must not push the monitor towards flapping.
    flapChanges: s.fields.flapChanges.filter((at) => at !== open.openedAt),
  };
  return {
    incidentId: open.id,
    changed: false,
    alerts: [
      { kind: 'retracted', incident: { id: open.id, startedAt: open.startedAt, endedAt: ctx.now } },
    ],
  };
}

/** "not confirmed: eu-1 set aside (canaries), eu-2 now ok; a new round found it up (2 of 3 …)". */
function retractionReason(
  open: OpenIncidentRef,
  votes: readonly Vote[],
  judgement: QuorumJudgement,
): string {
  const byNode = new Map(votes.map((v) => [v.nodeId, v]));
  const deciders = open.confirmedBy.map((nodeId) => {
    const vote = byNode.get(nodeId);
    const name = vote?.nodeName ?? nodeId;
    if (vote === undefined) return `${name} not asked`;
    if (vote.setAside !== null) return `${name} set aside (${vote.setAside})`;
    return `${name} now ${vote.outcome}`;
  });
  const found =
    judgement.verdict === 'unknown'
      ? `too few counted answers (${judgement.counted} of at least ${judgement.minResponders})`
      : `${judgement.verdict} (${judgement.failures} of ${judgement.counted} counted failing)`;
  return `not confirmed: ${deciders.join(', ')}; a new round found ${found}`;
}
