import type { AlertEvidence, AlertKind } from '../domain/alert.ts';
import type { ConsensusRound } from '../domain/consensus.ts';
import { formatDuration } from '../lib/duration.ts';

/** Counted votes by outcome and region, for one line of alert text. */
function tally(round: ConsensusRound): { failing: number; ok: number; byRegion: string } {
  const counted = round.votes.filter(
    (v) => (v.outcome === 'fail' || v.outcome === 'ok') && v.setAside === null && !v.late,
  );
  const regions = new Map<string, { failing: number; total: number }>();
  for (const vote of counted) {
    const key = vote.region ?? 'no region';
    const entry = regions.get(key) ?? { failing: 0, total: 0 };
    entry.total++;
    if (vote.outcome === 'fail') entry.failing++;
    regions.set(key, entry);
  }
  const byRegion = [...regions.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([region, t]) => `${region} ${t.failing}/${t.total} failing`)
    .join(', ');
  const failing = counted.filter((v) => v.outcome === 'fail').length;
  return { failing, ok: counted.length - failing, byRegion };
}

/** The one-line summary an alert carries: what was decided and on what evidence (pure). */
export function describeAlert(
  kind: AlertKind,
  round: ConsensusRound | null,
  context: { flapChanges: number; flapWindowMs: number; status: string },
): string {
  if (kind === 'flapping') {
    return `Flapping: more than ${context.flapChanges} confirmed changes within ${formatDuration(context.flapWindowMs)}; alerts are paused until it settles`;
  }
  if (kind === 'flapping-ended') return `Stopped flapping; now ${context.status}`;
  if (round === null) return kind;
  const t = tally(round);
  const counted = t.failing + t.ok;
  switch (kind) {
    case 'down':
      return `Down: confirmed by ${t.failing} of ${counted} nodes (${t.byRegion})`;
    case 'regional':
      return `Down from ${round.regions.join(' and ')} only: ${t.failing} of ${counted} nodes failing, other regions see it up (${t.byRegion})`;
    case 'recovered':
      return `Recovered: ${t.ok} of ${counted} nodes see it up`;
    case 'retracted':
      return `Retracted — not confirmed: a new round found it ${round.verdict} (${t.failing} of ${counted} counted nodes failing); the nodes that reported it were set aside`;
    case 'degraded':
    case 'degraded-ended':
      // Degraded episodes are judged from results, not rounds: see `describeDegraded`.
      return kind;
  }
}

/** A round's votes as an alert carries them. */
export function alertEvidence(round: ConsensusRound | null): AlertEvidence[] {
  if (round === null) return [];
  return round.votes.map((v) => ({
    node: v.nodeName,
    region: v.region,
    outcome: v.setAside === null ? v.outcome : 'abstain',
    message: v.setAside === null ? v.message : `${v.message} (set aside: ${v.setAside})`,
    latencyMs: v.latencyMs,
  }));
}
