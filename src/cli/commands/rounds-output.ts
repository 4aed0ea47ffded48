import type { ConsensusRound, Verdict, Vote } from '../../domain/consensus.ts';
import { formatDuration } from '../../lib/duration.ts';
import type { Output } from '../output.ts';
import { isoTime, latency, renderTable, statusText } from '../output.ts';

/** "down", or "regional: eu-west, us-east" when regions are named. */
export function verdictText(verdict: Verdict | null, regions: readonly string[]): string {
  if (verdict === null) return '-';
  return regions.length > 0 ? `${verdict}: ${regions.join(', ')}` : verdict;
}

/** The node that started a round, by name when it voted in it. */
function triggeredByName(round: ConsensusRound): string {
  return round.votes.find((v) => v.nodeId === round.triggeredBy)?.nodeName ?? round.triggeredBy;
}

/** One line per round: purpose, verdict, when it opened and was decided, who triggered it. */
export function roundHeader(out: Output, round: ConsensusRound): string {
  const took = formatDuration(Math.max(0, round.decidedAt - round.openedAt));
  return [
    `${round.purpose} round ${round.id}`,
    statusText(out, verdictText(round.verdict, round.regions)),
    `${isoTime(round.openedAt)} → ${isoTime(round.decidedAt)} (${took})`,
    `triggered by ${triggeredByName(round)}`,
  ].join(' · ');
}

/** The vote cell: the outcome, and why an answer was not counted. */
function voteText(out: Output, vote: Vote): string {
  const outcome = statusText(out, vote.outcome);
  return vote.setAside === null ? outcome : `${outcome} (set aside: ${vote.setAside})`;
}

/** When the answer came, relative to the round's opening; late ones are marked. */
function answeredText(round: ConsensusRound, vote: Vote): string {
  if (vote.answeredAt === null) return '-';
  const after = `+${formatDuration(Math.max(0, vote.answeredAt - round.openedAt))}`;
  return vote.late ? `${after} late` : after;
}

/** The votes of one round as a table. */
export function votesTable(out: Output, round: ConsensusRound): string {
  return renderTable(
    out,
    ['NODE', 'REGION', 'VOTE', 'STATUS', 'LATENCY', 'MESSAGE', 'ANSWERED'],
    round.votes.map((vote) => [
      vote.nodeName,
      vote.region ?? '-',
      voteText(out, vote),
      vote.status === null ? '-' : statusText(out, vote.status),
      latency(vote.latencyMs),
      vote.message.slice(0, 60),
      answeredText(round, vote),
    ]),
  );
}

/** A round's header line followed by its votes table. */
export function printRound(out: Output, round: ConsensusRound): void {
  out.line(roundHeader(out, round));
  out.line(votesTable(out, round));
}
