import type { QuorumJudgement } from '../consensus/quorum.ts';
import type { ConsensusPolicy, ConsensusRound } from '../domain/consensus.ts';
import { formatDuration } from '../lib/duration.ts';
import type { IncidentExplanation, RoundCounts, RoundExplanation } from './incident-explanation.ts';

// The words of `incidents explain`: pure functions from the numbers to sentences, kept apart
// from the view so the view stays data and the wording can change on its own.

/** The quorum rule in words. */
export function quorumRuleText(policy: ConsensusPolicy): string {
  const confirm = {
    majority: 'down when more than half of the counted nodes fail',
    n_of_m: `down when at least ${policy.requiredFailures ?? 1} counted node(s) fail`,
    percent: `down when at least ${policy.requiredPercent ?? 100} % of the counted nodes fail`,
  }[policy.quorum];
  return (
    `${confirm}; a verdict needs at least ${policy.minResponders} counted answer(s) ` +
    '(capped by the nodes that run the monitor); failures confined to whole regions while ' +
    'another region sees it up are regional; fewer failures are local (no page)'
  );
}

/** Why a round reached its verdict, from its counts. */
export function roundWhy(
  round: ConsensusRound,
  judgement: QuorumJudgement,
  counts: RoundCounts,
  regionsUp: readonly string[],
  policy: ConsensusPolicy,
  downNodes: readonly string[],
): string {
  const base = verdictReason(round, judgement, counts, regionsUp, policy, downNodes);
  const notCounted = [
    counts.setAside > 0 ? `${counts.setAside} set aside (impaired node or failing vantage)` : '',
    counts.abstained > 0 ? `${counts.abstained} abstained` : '',
    counts.noAnswer > 0 ? `${counts.noAnswer} did not answer in time` : '',
  ].filter(Boolean);
  return notCounted.length === 0 ? base : `${base}; not counted: ${notCounted.join(', ')}`;
}

function verdictReason(
  round: ConsensusRound,
  judgement: QuorumJudgement,
  counts: RoundCounts,
  regionsUp: readonly string[],
  policy: ConsensusPolicy,
  downNodes: readonly string[],
): string {
  const of = `${counts.down} of ${counts.counted} counted node(s)`;
  const who = downNodes.length > 0 ? ` (${downNodes.join(', ')})` : '';
  switch (round.verdict) {
    case 'unknown':
      return `only ${counts.counted} counted answer(s); ${judgement.minResponders} needed for a verdict`;
    case 'up':
      return `none of the ${counts.counted} counted node(s) saw it down`;
    case 'regional':
      return (
        `${of} saw it down${who}, every counted node of ${listOr(round.regions, 'its region')}, ` +
        `while ${listOr(regionsUp, 'another region')} saw it up: confined to region(s)`
      );
    case 'down':
      return `${of} saw it down${who}${confirmedBecause(policy, counts)}`;
    case 'local':
      return `${of} saw it down${who}: below quorum and not a whole region, so local (no page)`;
  }
}

function confirmedBecause(policy: ConsensusPolicy, counts: RoundCounts): string {
  switch (policy.quorum) {
    case 'n_of_m':
      return `; at least ${policy.requiredFailures ?? 1} needed: confirmed`;
    case 'percent': {
      const share = counts.counted === 0 ? 0 : Math.round((counts.down / counts.counted) * 100);
      return ` (${share} %); at least ${policy.requiredPercent ?? 100} % needed: confirmed`;
    }
    case 'majority':
      return ': more than half, confirmed';
  }
}

function listOr(items: readonly string[], fallback: string): string {
  return items.length === 0 ? fallback : items.join(', ');
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** One paragraph a person or a model can read without the rest of the view. */
export function explainSummary(view: Omit<IncidentExplanation, 'summary'>, cause: string): string {
  const where =
    view.verdict === 'regional' ? `down in ${listOr(view.regions, 'one region')} only` : 'down';
  const parts = [
    `${view.monitor.name} (${view.monitor.target}) ${view.status === 'open' ? 'is' : 'was'} ${where}: ${cause}.`,
    `The trouble started at ${iso(view.startedAt)} and was confirmed at ${iso(view.openedAt)}.`,
    decidingText(view.rounds, view.verdict),
    view.regionsDown.length > 0
      ? `Regions where every counted node saw it down: ${view.regionsDown.join(', ')}.`
      : '',
    closingText(view),
    view.acknowledgement === null
      ? view.status === 'open'
        ? 'Nobody has acknowledged it yet.'
        : ''
      : `Acknowledged by ${view.acknowledgement.by} at ${iso(view.acknowledgement.at)}` +
        (view.acknowledgement.note === null ? '.' : ` ("${view.acknowledgement.note}").`),
    `Rule: ${view.quorum.rule}.`,
  ];
  return parts.filter(Boolean).join(' ');
}

/** The round that gave the incident its verdict, in one sentence. */
function decidingText(rounds: readonly RoundExplanation[], verdict: string): string {
  const deciding = rounds.find((r) => r.verdict === verdict) ?? rounds[0];
  if (deciding === undefined) return 'No round evidence is stored for it.';
  return (
    `Deciding round (${deciding.purpose}, ${iso(deciding.decidedAt)}): ${deciding.why}. ` +
    `${rounds.length} round(s) of evidence in all.`
  );
}

function closingText(view: Omit<IncidentExplanation, 'summary'>): string {
  if (view.status === 'retracted') {
    return `It was retracted (no downtime counted): ${view.retraction ?? 'no reason recorded'}.`;
  }
  if (view.status === 'resolved' && view.resolvedAt !== null && view.endedAt !== null) {
    return `It recovered at ${iso(view.endedAt)} after ${formatDuration(view.endedAt - view.startedAt)} (confirmed ${iso(view.resolvedAt)}).`;
  }
  return 'It is still open.';
}
