import type {
  ConsensusPolicy,
  RoundPurpose,
  SetAsideReason,
  Verdict,
} from '../domain/consensus.ts';
import type { IncidentAcknowledgement, IncidentStatus } from '../domain/incident.ts';

// The shapes of an incident explanation, apart from the code that builds them
// (incident-explain.ts) and the code that words them (explain-text.ts), which both import them.

/** How one node voted, in words a reader (or a model) needs no glossary for. */
export type NodeVote = 'down' | 'up' | 'abstain' | 'no-answer';

/** One node's part in a round: what it saw, from where, and whether it counted. */
export interface NodeVoteView {
  node: string;
  nodeId: string;
  region: string | null;
  vote: NodeVote;
  /** False for abstentions, no answers, late answers and set-aside votes. */
  counted: boolean;
  setAside: SetAsideReason | null;
  late: boolean;
  /** The error kind of a failing check (`timeout`, `refused`…); null when it passed. */
  error: string | null;
  message: string;
  latencyMs: number | null;
}

export interface RoundCounts {
  asked: number;
  counted: number;
  down: number;
  up: number;
  abstained: number;
  noAnswer: number;
  setAside: number;
}

/** One confirmation round: its verdict, the counts behind it and why they gave that verdict. */
export interface RoundExplanation {
  id: string;
  purpose: RoundPurpose;
  decidedAt: number;
  verdict: Verdict;
  regions: string[];
  counts: RoundCounts;
  /** Regions where every counted node saw it down. */
  regionsDown: string[];
  /** Regions where every counted node saw it up. */
  regionsUp: string[];
  why: string;
  nodes: NodeVoteView[];
}

/** An incident explained: the verdict, the rule, every round's votes and a plain summary. */
export interface IncidentExplanation {
  incidentId: string;
  monitor: { id: string; name: string; type: string; target: string };
  status: IncidentStatus;
  verdict: 'down' | 'regional';
  regions: string[];
  startedAt: number;
  openedAt: number;
  endedAt: number | null;
  resolvedAt: number | null;
  acknowledgement: IncidentAcknowledgement | null;
  retraction: string | null;
  quorum: {
    mode: ConsensusPolicy['quorum'];
    requiredFailures: number | null;
    requiredPercent: number | null;
    minResponders: number;
    /** The rule in words, as the monitor is configured now. */
    rule: string;
  };
  /** Every region some round saw down, sorted. */
  regionsDown: string[];
  rounds: RoundExplanation[];
  summary: string;
}
