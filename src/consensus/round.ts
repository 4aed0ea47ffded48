import type {
  ConsensusRound,
  RoundPurpose,
  Verdict,
  Vote,
  VoteEvidence,
  VoteReply,
} from '../domain/consensus.ts';
import type { CountedVote } from './quorum.ts';

/** A node that runs the monitor, as the round sees it. */
export interface VoterInfo {
  nodeId: string;
  name: string;
  region: string | null;
  /** Connected and heard from: only online nodes are asked to vote. */
  online: boolean;
  /** Impaired nodes' votes are recorded but set aside. */
  impaired: boolean;
  /**
   * The node fails most of its other monitors while other nodes see them up (judged now, see
   * `vantage-health.ts`): its failing votes are abstentions, its reports start no rounds.
   */
  vantageFailing: boolean;
}

/** One answer received for an open round. */
export interface RoundAnswer {
  reply: VoteReply;
  /** Coordinator clock when it arrived. */
  at: number;
  /** For the node whose report started the round: the start of its streak. */
  since: number | null;
}

/** A round waiting for votes. */
export interface ActiveRound {
  id: string;
  purpose: RoundPurpose;
  triggeredBy: string;
  openedAt: number;
  deadlineAt: number;
  /** Nodes asked to vote (the trigger node's own report counts as its answer). */
  asked: string[];
  answers: Record<string, RoundAnswer>;
}

/** True when every asked node has answered, so the round need not wait for its deadline. */
export function roundComplete(round: ActiveRound): boolean {
  return round.asked.every((nodeId) => round.answers[nodeId] !== undefined);
}

/** The evidence record of a vote from an answer (or its absence), with the set-aside rule. */
export function voteOf(
  nodeId: string,
  answer: RoundAnswer | undefined,
  voter: VoterInfo | undefined,
  late: boolean,
): Vote {
  const who = { nodeId, nodeName: voter?.name ?? nodeId, region: voter?.region ?? null };
  if (answer === undefined) {
    return { ...who, ...NO_EVIDENCE, outcome: 'no-answer', answeredAt: null, late, setAside: null };
  }
  const { reply } = answer;
  const base = { ...who, ...reply.evidence, answeredAt: answer.at, late };
  // A node whose canaries fail cannot tell its own network from the target: it abstains.
  if (reply.outcome === 'abstain' || (reply.outcome === 'fail' && reply.canariesFailing)) {
    return { ...base, outcome: 'abstain', setAside: reply.canariesFailing ? 'canaries' : null };
  }
  // Its own record says the trouble is the node's (no canaries needed to see that).
  if (reply.outcome === 'fail' && voter?.vantageFailing === true) {
    return { ...base, outcome: 'abstain', setAside: 'vantage' };
  }
  return { ...base, outcome: reply.outcome, setAside: voter?.impaired ? 'impaired' : null };
}

const NO_EVIDENCE: VoteEvidence = {
  status: null,
  latencyMs: null,
  errorKind: null,
  message: 'no answer before the deadline',
  timings: {},
  checkedAt: null,
};

/** Every vote of a round at its decision, ordered by node name then id. */
export function collectVotes(round: ActiveRound, voters: readonly VoterInfo[]): Vote[] {
  const byId = new Map(voters.map((v) => [v.nodeId, v]));
  const ids = new Set([...Object.keys(round.answers), ...round.asked]);
  return [...ids]
    .map((id) => voteOf(id, round.answers[id], byId.get(id), false))
    .sort((a, b) => a.nodeName.localeCompare(b.nodeName) || a.nodeId.localeCompare(b.nodeId));
}

/** The votes the quorum rule counts: answered fail/ok, not set aside. */
export function countedVotes(votes: readonly Vote[]): CountedVote[] {
  return votes
    .filter((v) => (v.outcome === 'fail' || v.outcome === 'ok') && v.setAside === null)
    .map((v) => ({ nodeId: v.nodeId, region: v.region, failing: v.outcome === 'fail' }));
}

/** The stored record of a decided round. */
export function roundRecord(
  round: ActiveRound,
  monitorId: string,
  decision: { decidedAt: number; verdict: Verdict; regions: string[]; incidentId: string | null },
  votes: Vote[],
): ConsensusRound {
  return {
    id: round.id,
    monitorId,
    incidentId: decision.incidentId,
    purpose: round.purpose,
    triggeredBy: round.triggeredBy,
    openedAt: round.openedAt,
    deadlineAt: round.deadlineAt,
    decidedAt: decision.decidedAt,
    verdict: decision.verdict,
    regions: decision.verdict === 'regional' ? decision.regions : [],
    votes,
  };
}
