import type { AlertKind } from '../domain/alert.ts';
import type { IncidentVerdict, VoteEvidence } from '../domain/consensus.ts';
import type { Incident } from '../domain/incident.ts';
import type {
  AlertRoutes,
  ConsensusContext,
  ConsensusFields,
  ConsensusStep,
  MonitorConsensusState,
} from './consensus-state.ts';
import type { QuorumJudgement } from './quorum.ts';
import type { ActiveRound } from './round.ts';

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

/** An alert a transition calls for, before the alert policy and flapping rule. */
export interface PlannedAlert {
  kind: AlertKind;
  routes: AlertRoutes;
  incident: { id: string; startedAt: number; endedAt: number | null };
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
      return {
        incidentId: incident.id,
        changed: true,
        alerts: [
          { kind: verdict, routes: verdict === 'down' ? 'main' : 'regional', incident: ref },
        ],
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
    const escalated = open.verdict === 'regional' && next.verdict === 'down';
    return {
      incidentId: open.id,
      changed: false,
      alerts: escalated ? [{ kind: 'down', routes: 'main', incident: ref }] : [],
    };
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
    alerts: [
      {
        kind: 'recovered',
        routes: open.verdict === 'down' ? 'main' : 'regional',
        incident: { id: open.id, startedAt: open.startedAt, endedAt },
      },
    ],
  };
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
  s.fields = { ...s.fields, openIncident: { id, startedAt, verdict, regions } };
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
