import type { IncidentExplanation, RoundExplanation } from '../../services/incident-explain.ts';
import type { Output } from '../output.ts';
import { isoTime, latency, renderTable, statusText } from '../output.ts';
import { verdictText } from './rounds-output.ts';

/** `incidents explain`: the summary paragraph, then each round's reason and votes. */
export function printExplanation(out: Output, view: IncidentExplanation): void {
  out.line(view.summary);
  for (const round of view.rounds) {
    out.line();
    printRound(out, round);
  }
}

function printRound(out: Output, round: RoundExplanation): void {
  out.line(
    `${round.purpose} round ${round.id} · ${statusText(out, verdictText(round.verdict, round.regions))} · ${isoTime(round.decidedAt)}`,
  );
  out.line(`why: ${round.why}`);
  out.line(
    renderTable(
      out,
      ['NODE', 'REGION', 'VOTE', 'COUNTED', 'ERROR', 'LATENCY', 'MESSAGE'],
      round.nodes.map((n) => [
        n.node,
        n.region ?? '-',
        statusText(out, n.vote),
        n.counted ? 'yes' : notCountedWhy(n),
        n.error ?? '-',
        latency(n.latencyMs),
        n.message.slice(0, 60),
      ]),
    ),
  );
}

function notCountedWhy(node: RoundExplanation['nodes'][number]): string {
  if (node.late) return 'no (late)';
  if (node.setAside !== null) return `no (${node.setAside})`;
  return 'no';
}
