import { coordinatorOnly } from '../cluster/assignment.ts';
import { countedVotes } from '../consensus/round.ts';
import { judgeVotes } from '../consensus/quorum.ts';
import type { ConsensusPolicy, ConsensusRound, Vote } from '../domain/consensus.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { IncidentDetail } from './consensus-views.ts';
import { explainSummary, quorumRuleText, roundWhy } from './explain-text.ts';
import type {
  IncidentExplanation,
  NodeVote,
  NodeVoteView,
  RoundCounts,
  RoundExplanation,
} from './incident-explanation.ts';

export type {
  IncidentExplanation,
  NodeVote,
  NodeVoteView,
  RoundCounts,
  RoundExplanation,
} from './incident-explanation.ts';

/** Push monitors have one voter, the coordinator, which judges the pings it received. */
const PUSH_RULE =
  'verdict from pings, not a quorum: a push monitor is judged by the coordinator alone from the pings its job sends (late past its schedule and grace, a fail ping, or a run started and not closed within grace is down)';

/** Explains an incident from its evidence rounds (oldest first) and its monitor (pure). */
export function explainIncident(detail: IncidentDetail, monitor: Monitor): IncidentExplanation {
  const rounds = detail.evidence.map((round) => explainRound(round, monitor.consensus));
  const view: Omit<IncidentExplanation, 'summary'> = {
    incidentId: detail.id,
    monitor: { id: monitor.id, name: monitor.name, type: monitor.type, target: monitor.target },
    status: detail.status,
    verdict: detail.verdict,
    regions: detail.regions,
    startedAt: detail.startedAt,
    openedAt: detail.openedAt,
    endedAt: detail.endedAt,
    resolvedAt: detail.resolvedAt,
    acknowledgement: detail.acknowledgement,
    retraction: detail.retraction,
    quorum: {
      mode: monitor.consensus.quorum,
      requiredFailures: monitor.consensus.requiredFailures,
      requiredPercent: monitor.consensus.requiredPercent,
      minResponders: monitor.consensus.minResponders,
      rule: coordinatorOnly(monitor) ? PUSH_RULE : quorumRuleText(monitor.consensus),
    },
    regionsDown: [...new Set(rounds.flatMap((r) => r.regionsDown))].sort(),
    rounds,
  };
  return { ...view, summary: explainSummary(view, detail.cause) };
}

/** One round with its counts, recomputed from the votes the way the quorum rule counts them. */
export function explainRound(round: ConsensusRound, policy: ConsensusPolicy): RoundExplanation {
  const inTime = round.votes.filter((v) => !v.late);
  const counted = countedVotes(inTime);
  const judgement = judgeVotes(counted, policy, inTime.length);
  const countedIds = new Set(counted.map((v) => v.nodeId));
  const counts: RoundCounts = {
    asked: inTime.length,
    counted: counted.length,
    down: counted.filter((v) => v.failing).length,
    up: counted.filter((v) => !v.failing).length,
    abstained: inTime.filter((v) => v.outcome === 'abstain').length,
    noAnswer: inTime.filter((v) => v.outcome === 'no-answer').length,
    setAside: inTime.filter((v) => v.setAside !== null).length,
  };
  const regionsUp = regionsAllUp(counted);
  return {
    id: round.id,
    purpose: round.purpose,
    decidedAt: round.decidedAt,
    verdict: round.verdict,
    regions: round.regions,
    counts,
    regionsDown: judgement.failingRegions,
    regionsUp,
    why: roundWhy(round, judgement, counts, regionsUp, policy, namesDown(round.votes, countedIds)),
    nodes: round.votes.map((v) => nodeVoteView(v, countedIds.has(v.nodeId) && !v.late)),
  };
}

function nodeVoteView(vote: Vote, counted: boolean): NodeVoteView {
  return {
    node: vote.nodeName,
    nodeId: vote.nodeId,
    region: vote.region,
    vote: VOTE_WORDS[vote.outcome],
    counted,
    setAside: vote.setAside,
    late: vote.late,
    error: vote.outcome === 'fail' ? (vote.errorKind ?? 'failed') : null,
    message: vote.message,
    latencyMs: vote.latencyMs,
  };
}

const VOTE_WORDS: Record<Vote['outcome'], NodeVote> = {
  fail: 'down',
  ok: 'up',
  abstain: 'abstain',
  'no-answer': 'no-answer',
};

/** Names of the counted nodes that saw it down. */
function namesDown(votes: readonly Vote[], countedIds: ReadonlySet<string>): string[] {
  return votes
    .filter((v) => !v.late && v.outcome === 'fail' && countedIds.has(v.nodeId))
    .map((v) => v.nodeName);
}

function regionsAllUp(counted: ReturnType<typeof countedVotes>): string[] {
  const byRegion = new Map<string, boolean>();
  for (const vote of counted) {
    if (vote.region === null) continue;
    byRegion.set(vote.region, (byRegion.get(vote.region) ?? true) && !vote.failing);
  }
  return [...byRegion.entries()]
    .filter(([, up]) => up)
    .map(([region]) => region)
    .sort();
}
