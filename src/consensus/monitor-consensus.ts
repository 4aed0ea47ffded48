import type { RoundPurpose, VoteReply } from '../domain/consensus.ts';
import {
  advanceFlapping,
  pageAfterFlapping,
  pushAlert,
  pushFlapAlert,
  settleFlapping,
} from './alert-effects.ts';
import type {
  ConsensusContext,
  ConsensusEvent,
  ConsensusFields,
  ConsensusStep,
  MonitorConsensusState,
  NodeView,
} from './consensus-state.ts';
import { judgeVotes } from './quorum.ts';
import type { ActiveRound } from './round.ts';
import { collectVotes, countedVotes, roundComplete, roundRecord, voteOf } from './round.ts';
import { pageHeld, settleDependency } from './dependency-effects.ts';
import { applyVerdict, isClosing, retractIncident, statusOf } from './verdict-transitions.ts';

export type {
  AlertRoutes,
  ConsensusContext,
  ConsensusEffect,
  ConsensusEvent,
  ConsensusFields,
  ConsensusMonitor,
  ConsensusStep,
  MonitorConsensusState,
  NodeView,
} from './consensus-state.ts';
export { alertIdempotencyKey, consensusFields } from './consensus-state.ts';

/** A fresh consensus state around persisted fields (after a start or restart). */
export function initialConsensusState(fields: ConsensusFields): MonitorConsensusState {
  return { fields, views: {}, round: null, decided: [], pending: [], lastRoundAt: null };
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
    case 'voter-unhealthy':
      onVoterUnhealthy(step, event.nodeId, ctx);
      break;
    case 'upstream':
      settleDependency(step, ctx);
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
    if (voter.impaired || voter.vantageFailing || view.canariesFailing) return;
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
  // A held page must go out once its hold ends, round or not.
  settleDependency(step, ctx);
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
  return voter !== undefined && !voter.impaired && !voter.vantageFailing && !view.canariesFailing;
}

/**
 * A node whose fail vote helped confirm the open incident was found impaired or abstaining
 * within the recheck period: the evidence is put to a new round at once, with every node
 * voting afresh; unless it confirms again, the incident is retracted (see `decide`).
 */
function onVoterUnhealthy(step: ConsensusStep, nodeId: string, ctx: ConsensusContext): void {
  const open = step.state.fields.openIncident;
  if (open === null || !open.confirmedBy.includes(nodeId)) return;
  if (ctx.now - open.openedAt > ctx.recheckMs) return;
  want(step, 'reconfirm', ctx.selfId, ctx);
}

function want(
  step: ConsensusStep,
  purpose: RoundPurpose,
  triggeredBy: string,
  ctx: ConsensusContext,
): void {
  if (step.state.round !== null) {
    // One waiting trigger per purpose: a confirm waiting must not hide a recovery report.
    if (!step.state.pending.some((p) => p.purpose === purpose))
      step.state.pending = [...step.state.pending, { purpose, triggeredBy }];
    return;
  }
  // A reconfirm doubts the reports it would reuse: everyone answers afresh.
  openRound(step, purpose, triggeredBy, purpose !== 'reconfirm', ctx);
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
  const flapSince = s.fields.flappingSince;
  const failing = judgement.verdict === 'down' || judgement.verdict === 'regional';
  const retract = round.purpose === 'reconfirm' && s.fields.openIncident !== null && !failing;
  // An incident about to resolve with its page still waiting: the page is decided first, so a
  // confirmed outage no parent explains is never left unheard.
  if (!retract && !failing && judgement.healthyQuorum) settleDependency(step, ctx, true);
  const transition = retract
    ? retractIncident(step, votes, judgement, ctx)
    : applyVerdict(step, round, judgement, ctx);
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
  // A changed verdict may change which parent explains it (a regional parent does not explain
  // a child down everywhere).
  if (!retract) settleDependency(step, ctx);
  const flap = advanceFlapping(step, ctx, transition.changed);
  for (const alert of transition.alerts) {
    // While its page waits, openings of the incident are that page: it is decided later.
    if (isClosing(alert) || !pageHeld(s.fields.openIncident)) pushAlert(step, alert, record, ctx);
  }
  if (flap !== null) pushFlapAlert(step, flap, flapSince, record, ctx);
  if (flap === 'ended') pageAfterFlapping(step, flapSince, ctx);
  s.fields = { ...s.fields, status: statusOf(s.fields, judgement) };
  if (s.fields.status !== before) {
    s.fields.statusSince = ctx.now;
    step.effects.push({ type: 'status-changed', from: before, to: s.fields.status });
  }
  s.decided = [...s.decided, round.id].slice(-DECIDED_KEPT);
  s.lastRoundAt = ctx.now;
  considerPending(step, ctx);
}

function considerPending(step: ConsensusStep, ctx: ConsensusContext): void {
  const s = step.state;
  const open = s.fields.openIncident;
  const relevant = s.pending.filter((pending) => {
    const view = s.views[pending.triggeredBy];
    return (
      pending.purpose === 'recheck' ||
      (pending.purpose === 'reconfirm' && open !== null) ||
      (pending.purpose === 'confirm' && open === null && view?.suspect === true) ||
      (pending.purpose === 'recover' && open !== null && view?.suspect === false)
    );
  });
  // Doubted evidence goes first: a page may be waiting on it.
  relevant.sort((a, b) => Number(b.purpose === 'reconfirm') - Number(a.purpose === 'reconfirm'));
  const [next, ...rest] = relevant;
  // The rest wait for the round about to open, and are judged again after it.
  s.pending = rest;
  if (next !== undefined)
    openRound(step, next.purpose, next.triggeredBy, next.purpose !== 'reconfirm', ctx);
}
