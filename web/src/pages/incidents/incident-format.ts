import type { Incident } from '../../api/incident-types.ts';
import type { RoundVote } from '../../api/monitor-types.ts';

/** An incident's verdict in words, with the regions a regional one names. */
export function verdictText(incident: Pick<Incident, 'verdict' | 'regions'>): string {
  return incident.verdict === 'regional'
    ? `regional: ${incident.regions.join(', ')}`
    : 'down for everyone';
}

/** A node's vote in words: what it saw, not the wire value. */
export const VOTE_WORD: Record<RoundVote['outcome'], string> = {
  fail: 'down',
  ok: 'up',
  abstain: 'abstained',
  'no-answer': 'no answer',
};
