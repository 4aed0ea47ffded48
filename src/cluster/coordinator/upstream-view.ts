import type { UpstreamView } from '../../consensus/dependencies.ts';
import type { MonitorConsensusState } from '../../consensus/monitor-consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { MonitorRuntimeState } from '../../domain/monitor-state.ts';

/** The longest a child's page waits for a failing parent's verdict. */
const MAX_DEPENDENCY_HOLD_MS = 5 * 60_000;

/**
 * Failing but not confirmed: a node suspects the monitor, a round is judging it, or its latest
 * result failed.
 */
export function failingUnconfirmed(
  state: MonitorConsensusState | undefined,
  observed: Pick<MonitorRuntimeState, 'consecutiveFailures'>,
): boolean {
  if (state !== undefined) {
    if (state.round !== null || Object.values(state.views).some((view) => view.suspect))
      return true;
  }
  return observed.consecutiveFailures > 0;
}

/**
 * Failing without a verdict yet, for grouping: a round is asking about it, a node reports it
 * failing since after its last round (a suspicion no round has answered), or its latest result
 * failed (it may reach its threshold within the group's wait; on a single node this is the only
 * sign). A monitor whose round found a single node's trouble (`local`) counts only while the
 * latest result is that node's failure: the group decides at the first tick it is not.
 */
export function beingJudged(
  state: MonitorConsensusState | undefined,
  observed: Pick<MonitorRuntimeState, 'consecutiveFailures' | 'openIncident'>,
): boolean {
  if ((state?.fields.openIncident ?? observed.openIncident) !== null) return false;
  if (state !== undefined) {
    if (state.round !== null) return true;
    const judgedAt = state.lastRoundAt ?? Number.NEGATIVE_INFINITY;
    if (Object.values(state.views).some((view) => view.suspect && view.since > judgedAt))
      return true;
  }
  return observed.consecutiveFailures > 0;
}

/**
 * A parent as its children's consensus needs it: its confirmed incident, and whether it is
 * failing without a verdict yet, with how long a child's page may wait for that verdict: its
 * failure streak, a round and a margin, capped.
 */
export function upstreamViewOf(
  parent: Monitor,
  state: MonitorConsensusState,
  observed: Pick<MonitorRuntimeState, 'consecutiveFailures'>,
  voteMarginMs: number,
): UpstreamView {
  const open = state.fields.openIncident;
  const holdMs = parent.failureThreshold * parent.intervalMs + parent.timeoutMs + 2 * voteMarginMs;
  return {
    monitorId: parent.id,
    name: parent.name,
    incident: open === null ? null : { id: open.id, verdict: open.verdict, regions: open.regions },
    suspect: !parent.paused && failingUnconfirmed(state, observed),
    holdMs: Math.min(holdMs, MAX_DEPENDENCY_HOLD_MS),
  };
}
