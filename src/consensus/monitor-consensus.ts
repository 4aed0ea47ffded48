import { decideAlert } from '../alerts/policy.ts';
import type { AlertKind } from '../domain/alert.ts';
import type {
  ConsensusPolicy,
  ConsensusRound,
  IncidentVerdict,
  RoundPurpose,
  VoteEvidence,
  VoteReply,
} from '../domain/consensus.ts';
import type { Incident } from '../domain/incident.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import { stepFlapping } from './flapping.ts';
import { judgeVotes } from './quorum.ts';
import type { QuorumJudgement } from './quorum.ts';
import type { ActiveRound, VoterInfo } from './round.ts';
import { collectVotes, countedVotes, roundComplete, roundRecord, voteOf } from './round.ts';

/** The persisted part of a monitor's state that rounds decide. */
export type ConsensusFields = Pick<
  MonitorRuntimeState,
  | 'status'
  | 'statusSince'
  | 'openIncident'
  | 'lastDownAlertAt'
  | 'verdict'
  | 'verdictAt'
  | 'failingRegions'
  | 'failingNodes'
  | 'flapChanges'
  | 'flappingSince'
>;

/** A node's current local view of one monitor (its last signal), coordinator clock. */
export interface NodeView {
  suspect: boolean;
  since: number;
  evidence: VoteEvidence;
  canariesFailing: boolean;
}

/** Everything the coordinator knows about one monitor's consensus. */
export interface MonitorConsensusState {
  fields: ConsensusFields;
  /** By node id: the node's last reported view. */
  views: Readonly<Record<string, NodeView>>;
  round: ActiveRound | null;
  /** Ids of recently decided rounds: answers to them are recorded as late. */
  decided: readonly string[];
  /** A trigger that arrived while a round was open; considered once it is decided. */
  pending: { purpose: RoundPurpose; triggeredBy: string } | null;
  lastRoundAt: number | null;
}

/** The parts of a monitor the consensus needs. */
export interface ConsensusMonitor {
  id: string;
  timeoutMs: number;
  alertCooldownMs: number;
  consensus: ConsensusPolicy;
}

/** Inputs of one step besides the state and event: clock, monitor, voters, ids. */
export interface ConsensusContext {
  now: number;
  /** The coordinator's node id (it triggers periodic rechecks). */
  selfId: string;
  monitor: ConsensusMonitor;
  /** Nodes that run the monitor (removed ones excluded), with liveness and health. */
  voters: readonly VoterInfo[];
  /** Added to the check's timeout to give a vote's deadline. */
  voteMarginMs: number;
  /** A monitor in trouble (open incident, unknown, suspects) is rechecked this often. */
  recheckMs: number;
  newId(prefix: 'rnd' | 'inc'): string;
}

export type ConsensusEvent =
  | { type: 'view'; nodeId: string; view: NodeView }
  | { type: 'vote'; roundId: string; nodeId: string; reply: VoteReply }
  | { type: 'deadline'; roundId: string }
  | { type: 'tick' };

/** Which routes an alert goes to: the monitor's main routes or its regional ones. */
export type AlertRoutes = 'main' | 'regional';

export type ConsensusEffect =
  | { type: 'request-votes'; roundId: string; nodeIds: string[]; deadlineAt: number }
  | { type: 'round-decided'; round: ConsensusRound }
  | { type: 'late-vote'; roundId: string; vote: ConsensusRound['votes'][number] }
  | { type: 'incident-opened'; incident: Incident }
  | { type: 'incident-updated'; incidentId: string; verdict: IncidentVerdict; regions: string[] }
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
      incident: { id: string; startedAt: number; endedAt: number | null } | null;
      idempotencyKey: string;
      routes: AlertRoutes;
      /** The round behind the alert (its votes are the alert's evidence). */
      round: ConsensusRound | null;
      suppressed: boolean;
      reason: string;
    }
  | { type: 'status-changed'; from: ConsensusFields['status']; to: ConsensusFields['status'] };

export interface ConsensusStep {
  state: MonitorConsensusState;
  effects: ConsensusEffect[];
}

/** Idempotency key of a monitor alert: the same monitor, incident and transition give one key. */
export function alertIdempotencyKey(monitorId: string, scope: string, kind: AlertKind): string {
  return `${monitorId}:${scope}:${kind}`;
}

/** The consensus-owned fields of a monitor's runtime state. */
export function consensusFields(state: ConsensusFields): ConsensusFields {
  return {
    status: state.status,
    statusSince: state.statusSince,
    openIncident: state.openIncident,
    lastDownAlertAt: state.lastDownAlertAt,
    verdict: state.verdict,
    verdictAt: state.verdictAt,
    failingRegions: state.failingRegions,
    failingNodes: state.failingNodes,
    flapChanges: state.flapChanges,
    flappingSince: state.flappingSince,
  };
}

/** A fresh consensus state around persisted fields (after a start or restart). */
export function initialConsensusState(fields: ConsensusFields): MonitorConsensusState {
  return { fields, views: {}, round: null, decided: [], pending: null, lastRoundAt: null };
}

const DECIDED_KEPT = 8;

/** Applies one event (pure: state + event + context → state + effects). */
export function stepConsensus(
  state: MonitorConsensusState,
  event: ConsensusEvent,
  ctx: ConsensusContext,
): ConsensusStep {
  const step: ConsensusStep = { state: { ...state }, effects: [] };
  switch (event.type) {
    case 'view':
      onView(step, event.nodeId, event.view, ctx);
      break;
    case 'vote':
      onVote(step, event.roundId, event.nodeId, event.reply, ctx);
      break;
    case 'deadline':
      if (step.state.round?.id === event.roundId) decide(step, ctx);
      break;
    case 'tick':
      onTick(step, ctx);
      break;
  }
  return step;
}

function onView(step: ConsensusStep, nodeId: string, view: NodeView, ctx: ConsensusContext): void {
  const s = step.state;
  const previous = s.views[nodeId];
  s.views = { ...s.views, [nodeId]: view };
  const voter = ctx.voters.find((v) => v.nodeId === nodeId);
  if (voter === undefined) return;
  const open = s.fields.openIncident;
  if (view.suspect) {
    if (previous?.suspect) return;
    // Impaired nodes and nodes whose canaries fail cannot start rounds: their failures are
    // about themselves until shown otherwise.
    if (voter.impaired || view.canariesFailing) return;
    if (open === null) want(step, 'confirm', nodeId, ctx);
    else if (open.verdict === 'regional' && !open.regions.includes(voter.region ?? ''))
      want(step, 'recheck', nodeId, ctx);
    return;
  }
  if (previous !== undefined && !previous.suspect) return;
  if (s.fields.failingNodes.includes(nodeId)) {
    s.fields = { ...s.fields, failingNodes: s.fields.failingNodes.filter((id) => id !== nodeId) };
  }
  if (open !== null) want(step, 'recover', nodeId, ctx);
  else if (s.fields.status === 'unknown') want(step, 'recheck', nodeId, ctx);
}

function onVote(
  step: ConsensusStep,
  roundId: string,
  nodeId: string,
  reply: VoteReply,
  ctx: ConsensusContext,
): void {
  const s = step.state;
  const answer = { reply, at: ctx.now, since: null };
  if (s.round?.id === roundId) {
    if (!s.round.asked.includes(nodeId) || s.round.answers[nodeId] !== undefined) return;
    s.round = { ...s.round, answers: { ...s.round.answers, [nodeId]: answer } };
    if (roundComplete(s.round)) decide(step, ctx);
    return;
  }
  if (!s.decided.includes(roundId)) return;
  const voter = ctx.voters.find((v) => v.nodeId === nodeId);
  step.effects.push({ type: 'late-vote', roundId, vote: voteOf(nodeId, answer, voter, true) });
}

function onTick(step: ConsensusStep, ctx: ConsensusContext): void {
  const s = step.state;
  if (s.round !== null) return;
  if (s.fields.flappingSince !== null) settleFlapping(step, ctx);
  const last = s.lastRoundAt ?? s.fields.verdictAt ?? Number.NEGATIVE_INFINITY;
  if (ctx.now - last < ctx.recheckMs) return;
  const troubled =
    s.fields.openIncident !== null ||
    s.fields.status === 'unknown' ||
    Object.entries(s.views).some(([nodeId, view]) => view.suspect && countable(nodeId, view, ctx));
  if (troubled) openRound(step, 'recheck', ctx.selfId, false, ctx);
}

function countable(nodeId: string, view: NodeView, ctx: ConsensusContext): boolean {
  const voter = ctx.voters.find((v) => v.nodeId === nodeId);
  return voter !== undefined && !voter.impaired && !view.canariesFailing;
}

function want(
  step: ConsensusStep,
  purpose: RoundPurpose,
  triggeredBy: string,
  ctx: ConsensusContext,
): void {
  if (step.state.round !== null) {
    step.state.pending ??= { purpose, triggeredBy };
    return;
  }
  openRound(step, purpose, triggeredBy, true, ctx);
}

/**
 * Opens a round: the trigger node's report is its answer (when `useView`), every other online
 * voter is asked to check now. With nobody to ask the round is decided at once.
 */
function openRound(
  step: ConsensusStep,
  purpose: RoundPurpose,
  triggeredBy: string,
  useView: boolean,
  ctx: ConsensusContext,
): void {
  const s = step.state;
  const view = useView ? s.views[triggeredBy] : undefined;
  const answers: ActiveRound['answers'] = {};
  if (view !== undefined) {
    answers[triggeredBy] = {
      reply: {
        outcome: view.suspect ? 'fail' : 'ok',
        evidence: view.evidence,
        canariesFailing: view.canariesFailing,
      },
      at: ctx.now,
      since: view.since,
    };
  }
  const asked = ctx.voters
    .filter((v) => v.online && answers[v.nodeId] === undefined)
    .map((v) => v.nodeId);
  const round: ActiveRound = {
    id: ctx.newId('rnd'),
    purpose,
    triggeredBy,
    openedAt: ctx.now,
    deadlineAt: ctx.now + ctx.monitor.timeoutMs + ctx.voteMarginMs,
    asked,
    answers,
  };
  s.round = round;
  if (asked.length > 0) {
    step.effects.push({
      type: 'request-votes',
      roundId: round.id,
      nodeIds: asked,
      deadlineAt: round.deadlineAt,
    });
  } else {
    decide(step, ctx);
  }
}

/** Decides the open round: verdict, incident transitions, alerts, flapping, status. */
function decide(step: ConsensusStep, ctx: ConsensusContext): void {
  const s = step.state;
  const round = s.round;
  if (round === null) return;
  s.round = null;
  const votes = collectVotes(round, ctx.voters);
  const judgement = judgeVotes(countedVotes(votes), ctx.monitor.consensus, ctx.voters.length);
  const before = s.fields.status;
  const transition = applyVerdict(step, round, judgement, ctx);
  const record = roundRecord(
    round,
    ctx.monitor.id,
    {
      decidedAt: ctx.now,
      verdict: judgement.verdict,
      regions: judgement.failingRegions,
      incidentId: transition.incidentId,
    },
    votes,
  );
  step.effects.unshift({ type: 'round-decided', round: record });
  s.fields = {
    ...s.fields,
    verdict: judgement.verdict,
    verdictAt: ctx.now,
    failingRegions: judgement.failingRegions,
    failingNodes: judgement.failingNodes,
  };
  const flapSince = s.fields.flappingSince;
  const flap = advanceFlapping(step, ctx, transition.changed);
  for (const alert of transition.alerts) pushAlert(step, alert, record, ctx);
  if (flap !== null) pushFlapAlert(step, flap, flapSince, record, ctx);
  s.fields = { ...s.fields, status: statusOf(s.fields, judgement) };
  if (s.fields.status !== before) {
    s.fields.statusSince = ctx.now;
    step.effects.push({ type: 'status-changed', from: before, to: s.fields.status });
  }
  s.decided = [...s.decided, round.id].slice(-DECIDED_KEPT);
  s.lastRoundAt = ctx.now;
  considerPending(step, ctx);
}

function statusOf(fields: ConsensusFields, judgement: QuorumJudgement): ConsensusFields['status'] {
  if (fields.flappingSince !== null) return 'flapping';
  if (fields.openIncident !== null) return fields.openIncident.verdict;
  if (judgement.verdict === 'unknown') return 'unknown';
  return 'up';
}

interface PlannedAlert {
  kind: AlertKind;
  routes: AlertRoutes;
  incident: { id: string; startedAt: number; endedAt: number | null };
}

interface VerdictTransition {
  incidentId: string | null;
  /** An incident opened or resolved (a confirmed change, counted for flapping). */
  changed: boolean;
  alerts: PlannedAlert[];
}

function applyVerdict(
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
  s.fields = { ...s.fields, openIncident: null };
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

function pushAlert(
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
function advanceFlapping(
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
function pushFlapAlert(
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
function settleFlapping(step: ConsensusStep, ctx: ConsensusContext): void {
  const s = step.state;
  const since = s.fields.flappingSince;
  if (advanceFlapping(step, ctx, false) !== 'ended') return;
  pushFlapAlert(step, 'ended', since, null, ctx);
  const open = s.fields.openIncident;
  const status = open === null ? (s.fields.verdict === 'unknown' ? 'unknown' : 'up') : open.verdict;
  step.effects.push({ type: 'status-changed', from: s.fields.status, to: status });
  s.fields = { ...s.fields, status, statusSince: ctx.now };
}

function considerPending(step: ConsensusStep, ctx: ConsensusContext): void {
  const s = step.state;
  const pending = s.pending;
  s.pending = null;
  if (pending === null) return;
  const view = s.views[pending.triggeredBy];
  const open = s.fields.openIncident;
  const relevant =
    pending.purpose === 'recheck' ||
    (pending.purpose === 'confirm' && open === null && view?.suspect === true) ||
    (pending.purpose === 'recover' && open !== null && view?.suspect === false);
  if (relevant) openRound(step, pending.purpose, pending.triggeredBy, true, ctx);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
