import type { CheckStatus } from '../domain/check-result.ts';
import type { QuorumRule } from '../domain/consensus.ts';
import type { DegradedEndReason, DegradedEpisode } from '../domain/degraded-episode.ts';
import type { MonitorStatus } from '../domain/monitor-state.ts';
import type { LocalThresholds, LocalView } from './local-hysteresis.ts';
import { applyLocalResult, INITIAL_LOCAL_VIEW } from './local-hysteresis.ts';
import type { CountedVote, QuorumJudgement } from './quorum.ts';
import { judgeVotes } from './quorum.ts';
import type { VoterInfo } from './round.ts';

// Degraded episodes (pure): each node's results feed its own degraded streak, with the same
// hysteresis its failures get (failureThreshold consecutive degraded results make the node see
// the monitor degraded, recoveryThreshold plain ups clear it); the monitor's own quorum rule
// then judges those views as it judges fail votes. An episode starts when that quorum confirms
// degraded while no incident is open, and ends when a healthy quorum sees it plainly up, or
// when an incident opens (the incident's alerts take over).

/** One node's latest result and degraded streak for one monitor. */
export interface DegradedNodeView {
  /** `suspect` here means: this node sees the monitor degraded (past its threshold). */
  streak: LocalView;
  /** The status of its latest result that said anything about the target. */
  status: Exclude<CheckStatus, 'error'>;
  checkedAt: number;
  latencyMs: number;
  message: string;
}

/** By node id: what each node's results say about degradation. */
export type DegradedViews = Readonly<Record<string, DegradedNodeView>>;

/** The part of a result the degraded streaks need. */
export interface DegradedObservation {
  nodeId: string;
  status: CheckStatus;
  /** Coordinator clock. */
  checkedAt: number;
  latencyMs: number;
  message: string;
}

/**
 * Applies one result to its node's degraded streak. A node error says nothing about the target
 * and a down result nothing about slowness (incidents judge it): neither moves the streak, but a
 * down result keeps the node out of the degraded count until it answers again.
 */
export function observeDegraded(
  views: DegradedViews,
  result: DegradedObservation,
  thresholds: LocalThresholds,
): DegradedViews {
  if (result.status === 'error') return views;
  const previous = views[result.nodeId]?.streak ?? INITIAL_LOCAL_VIEW;
  const outcome =
    result.status === 'degraded' ? 'failing' : result.status === 'up' ? 'passing' : 'node-error';
  const { view } = applyLocalResult(previous, { outcome, checkedAt: result.checkedAt }, thresholds);
  const next: DegradedNodeView = {
    streak: view,
    status: result.status,
    checkedAt: result.checkedAt,
    latencyMs: result.latencyMs,
    message: result.message,
  };
  return { ...views, [result.nodeId]: next };
}

/** Everything besides the episode and the views that a judgement depends on. */
export interface DegradedContext {
  now: number;
  monitor: {
    degradedIsDown: boolean;
    /** Plain ups a node needs in a row before it counts as seeing the monitor healthy. */
    recoveryThreshold: number;
    consensus: QuorumRule;
  };
  /** The monitor's consensus-owned status and open incident, as rounds left them. */
  status: Exclude<MonitorStatus, 'paused'>;
  incidentOpen: boolean;
  voters: readonly VoterInfo[];
  /** A node's latest result older than this is not counted (the node went quiet). */
  staleMs: number;
  /** A maintenance window covers the monitor now: a start is recorded, not paged. */
  silenced: boolean;
  newId(): string;
}

export type DegradedChange =
  | { type: 'started'; episode: DegradedEpisode; judgement: QuorumJudgement }
  | {
      type: 'ended';
      episode: DegradedEpisode;
      reason: DegradedEndReason;
      endedAt: number;
      judgement: QuorumJudgement | null;
    };

export interface DegradedStep {
  episode: DegradedEpisode | null;
  change: DegradedChange | null;
}

/** Decides whether an episode starts, continues or ends (pure: inputs and clock in). */
export function judgeDegraded(
  episode: DegradedEpisode | null,
  views: DegradedViews,
  ctx: DegradedContext,
): DegradedStep {
  if (episode !== null && (ctx.incidentOpen || ctx.monitor.degradedIsDown)) {
    const reason = ctx.incidentOpen ? 'down' : 'degraded-is-down';
    return { episode: null, change: ended(episode, reason, ctx.now, null) };
  }
  if (ctx.monitor.degradedIsDown) return { episode, change: null };
  const judgement = judgeVotes(degradedVotes(views, ctx), ctx.monitor.consensus, ctx.voters.length);
  if (episode !== null) {
    return judgement.healthyQuorum
      ? { episode: null, change: ended(episode, 'up', ctx.now, judgement) }
      : { episode, change: null };
  }
  // A degraded quorum counts only while the cluster holds the monitor up: no incident, and no
  // unknown or flapping verdict whose alerts already speak for it.
  const up = !ctx.incidentOpen && ctx.status !== 'unknown' && ctx.status !== 'flapping';
  if (!up || judgement.verdict !== 'down') return { episode: null, change: null };
  const started: DegradedEpisode = {
    id: ctx.newId(),
    startedAt: streakStart(views, judgement.failingNodes, ctx.now),
    openedAt: ctx.now,
    suppressed: ctx.silenced,
    // Filled by the caller once it knows which routes the start is stored for.
    openings: {},
  };
  return { episode: started, change: { type: 'started', episode: started, judgement } };
}

/**
 * The views the quorum counts, as votes ("failing" = sees it degraded): nodes that run the
 * monitor, are neither impaired nor set aside by the vantage rule, whose latest result is
 * recent, and that have made up their mind — past the threshold either way. A node between the
 * two (degraded once, or up fewer times in a row than `recoveryThreshold`) is not counted, so a
 * restart, which forgets the streaks, cannot read a still-slow node as healthy.
 */
export function degradedVotes(views: DegradedViews, ctx: DegradedContext): CountedVote[] {
  const votes: CountedVote[] = [];
  for (const voter of ctx.voters) {
    const view = views[voter.nodeId];
    if (view === undefined || voter.impaired || voter.vantageFailing) continue;
    if (view.status === 'down' || ctx.now - view.checkedAt > ctx.staleMs) continue;
    const { suspect, successes } = view.streak;
    const healthy = !suspect && successes >= ctx.monitor.recoveryThreshold;
    if (!suspect && !healthy) continue;
    votes.push({ nodeId: voter.nodeId, region: voter.region, failing: suspect });
  }
  return votes;
}

function ended(
  episode: DegradedEpisode,
  reason: DegradedEndReason,
  endedAt: number,
  judgement: QuorumJudgement | null,
): DegradedChange {
  return { type: 'ended', episode, reason, endedAt, judgement };
}

/** The earliest streak start among the nodes that confirmed it (never after now). */
function streakStart(views: DegradedViews, nodeIds: readonly string[], now: number): number {
  let start = now;
  for (const nodeId of nodeIds) {
    const since = views[nodeId]?.streak.failureSince;
    if (since !== null && since !== undefined && since < start) start = since;
  }
  return start;
}
