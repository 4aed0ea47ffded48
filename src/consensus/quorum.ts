import type { QuorumRule, Verdict } from '../domain/consensus.ts';

/** A counted vote: an answer from a node that is neither impaired nor abstaining. */
export interface CountedVote {
  nodeId: string;
  region: string | null;
  failing: boolean;
}

/** What the quorum rule concluded from one round's counted votes. */
export interface QuorumJudgement {
  verdict: Verdict;
  /** Regions where every counted node failed (sorted; regions of null-region nodes excluded). */
  failingRegions: string[];
  /** Node ids whose counted vote failed (sorted). */
  failingNodes: string[];
  /** True when a quorum of counted nodes sees the monitor healthy (an incident may resolve). */
  healthyQuorum: boolean;
  counted: number;
  failures: number;
  /** The responder minimum actually applied (capped by the nodes assigned to the monitor). */
  minResponders: number;
}

/**
 * The quorum rule (pure). `assigned` is how many nodes run the monitor: the responder minimum
 * and an n_of_m threshold are capped by it, so a one-node install still confirms on its own.
 *
 * Order: too few counted answers → `unknown`; no failure → `up`; failures confined to whole
 * regions (at least two failing nodes, every counted node of those regions failing) while
 * another region sees it up → `regional`; quorum confirms → `down`; otherwise `local`.
 */
export function judgeVotes(
  votes: readonly CountedVote[],
  policy: QuorumRule,
  assigned: number,
): QuorumJudgement {
  const counted = votes.length;
  const failing = votes.filter((v) => v.failing);
  const failures = failing.length;
  const minResponders = Math.max(1, Math.min(policy.minResponders, Math.max(assigned, 1)));
  const failingNodes = failing.map((v) => v.nodeId).sort();
  const byRegion = regionTally(votes);
  const failingRegions = [...byRegion.entries()]
    .filter(([, t]) => t.failing === t.total)
    .map(([region]) => region)
    .sort();
  const base = { failingRegions, failingNodes, counted, failures, minResponders };
  if (counted < minResponders) return { ...base, verdict: 'unknown', healthyQuorum: false };
  const confirms = reachesQuorum(failures, counted, policy, assigned);
  // Healthy quorum mirrors confirmation: the same share or count, of nodes that see it up.
  const healthyQuorum = !confirms && reachesQuorum(counted - failures, counted, policy, assigned);
  if (failures === 0) return { ...base, verdict: 'up', healthyQuorum };
  if (isRegional(failing, byRegion, failingRegions)) {
    return { ...base, verdict: 'regional', healthyQuorum: false };
  }
  if (confirms) return { ...base, verdict: 'down', healthyQuorum: false };
  return { ...base, verdict: 'local', healthyQuorum };
}

/**
 * Whether `agreeing` of `counted` answers are enough: more than half (majority), at least N
 * (n_of_m, N capped by the nodes assigned), or at least P % of the counted answers (percent).
 * Never zero nodes: a healthy quorum is never just "too few failed".
 */
function reachesQuorum(
  agreeing: number,
  counted: number,
  policy: QuorumRule,
  assigned: number,
): boolean {
  if (agreeing === 0) return false;
  switch (policy.quorum) {
    case 'n_of_m':
      return agreeing >= Math.max(1, Math.min(policy.requiredFailures ?? 1, Math.max(assigned, 1)));
    case 'percent':
      return agreeing * 100 >= (policy.requiredPercent ?? 100) * counted;
    case 'majority':
      return agreeing * 2 > counted;
  }
}

function regionTally(
  votes: readonly CountedVote[],
): Map<string, { total: number; failing: number }> {
  const tally = new Map<string, { total: number; failing: number }>();
  for (const vote of votes) {
    if (vote.region === null) continue;
    const entry = tally.get(vote.region) ?? { total: 0, failing: 0 };
    entry.total++;
    if (vote.failing) entry.failing++;
    tally.set(vote.region, entry);
  }
  return tally;
}

/**
 * A single failing node cannot tell its own network from its region's, so regional needs at
 * least two failing nodes, all in regions where every counted node failed, and one region
 * where every counted node sees the monitor up.
 */
function isRegional(
  failing: readonly CountedVote[],
  byRegion: ReadonlyMap<string, { total: number; failing: number }>,
  failingRegions: readonly string[],
): boolean {
  if (failing.length < 2) return false;
  const whole = new Set(failingRegions);
  if (!failing.every((v) => v.region !== null && whole.has(v.region))) return false;
  return [...byRegion.values()].some((t) => t.failing === 0);
}
