import type { AlertEvidence } from '../domain/alert.ts';
import type { DegradedEndReason } from '../domain/degraded-episode.ts';
import { formatDuration } from '../lib/duration.ts';
import type { DegradedViews } from './degraded-episodes.ts';
import type { CountedVote } from './quorum.ts';
import type { VoterInfo } from './round.ts';

// The words of degraded-episode alerts (pure): one line for people and the nodes' evidence.

/** `Degraded: 2 of 3 nodes see it degraded (eu 1/1, us 1/2)`, or why the episode ended. */
export function describeDegraded(
  change: { type: 'started' } | { type: 'ended'; reason: DegradedEndReason; durationMs: number },
  votes: readonly CountedVote[],
): string {
  const degraded = votes.filter((v) => v.failing).length;
  const tally = `${degraded} of ${votes.length} nodes see it degraded`;
  if (change.type === 'started') return `Degraded: ${tally} (${byRegion(votes)}); still up`;
  const lasted = formatDuration(change.durationMs);
  switch (change.reason) {
    case 'up':
      return `No longer degraded after ${lasted}: ${tally}`;
    case 'down':
      return `Degraded episode ended after ${lasted}: the monitor is down (its incident alerts take over)`;
    case 'degraded-is-down':
      return `Degraded episode ended after ${lasted}: the monitor now counts degraded as down`;
  }
}

/** Each voter's latest result as an alert's evidence (voters without one are left out). */
export function degradedEvidence(
  views: DegradedViews,
  voters: readonly VoterInfo[],
): AlertEvidence[] {
  const evidence: AlertEvidence[] = [];
  for (const voter of voters) {
    const view = views[voter.nodeId];
    if (view === undefined) continue;
    const setAside = voter.impaired || voter.vantageFailing;
    evidence.push({
      node: voter.name,
      region: voter.region,
      outcome: setAside ? 'abstain' : view.status === 'down' ? 'fail' : 'ok',
      message: view.message === '' ? view.status : `${view.status}: ${view.message}`,
      latencyMs: view.latencyMs,
    });
  }
  return evidence;
}

function byRegion(votes: readonly CountedVote[]): string {
  const regions = new Map<string, { degraded: number; total: number }>();
  for (const vote of votes) {
    const key = vote.region ?? 'no region';
    const entry = regions.get(key) ?? { degraded: 0, total: 0 };
    entry.total++;
    if (vote.failing) entry.degraded++;
    regions.set(key, entry);
  }
  return [...regions.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([region, t]) => `${region} ${t.degraded}/${t.total}`)
    .join(', ');
}
