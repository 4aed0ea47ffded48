import type { CheckStatus, ErrorKind, PhaseTimings } from './check-result.ts';

/**
 * `majority`: more than half of the answering nodes failed. `n_of_m`: at least N failed.
 * `percent`: at least P % of the answering nodes failed.
 */
export const QUORUM_MODES = ['majority', 'n_of_m', 'percent'] as const;
export type QuorumMode = (typeof QUORUM_MODES)[number];

/** How the cluster decides a monitor is down; stored per monitor. */
export interface ConsensusPolicy {
  quorum: QuorumMode;
  /** `n_of_m` only: failing nodes needed to confirm; null in the other modes. */
  requiredFailures: number | null;
  /** `percent` only: share of the answering nodes (1–100) that must fail; null otherwise. */
  requiredPercent: number | null;
  /**
   * Fewest answering (counted) nodes for any verdict but `unknown`. A monitor assigned to fewer
   * nodes than this uses all of them, so a one-node install still confirms on its own.
   */
  minResponders: number;
  /** More than this many confirmed state changes inside `flapWindowMs` mark the monitor flapping. */
  flapChanges: number;
  flapWindowMs: number;
}

/** The parts of a policy the quorum rule reads. */
export type QuorumRule = Pick<
  ConsensusPolicy,
  'quorum' | 'requiredFailures' | 'requiredPercent' | 'minResponders'
>;

export const DEFAULT_CONSENSUS: ConsensusPolicy = {
  quorum: 'majority',
  requiredFailures: null,
  requiredPercent: null,
  minResponders: 2,
  flapChanges: 4,
  flapWindowMs: 1_800_000,
};

/** One node's answer in a confirmation round. */
export type VoteOutcome = 'fail' | 'ok' | 'abstain' | 'no-answer';

/**
 * What a round concluded. `down`: quorum confirms. `regional`: failures confined to whole
 * regions while another region sees the monitor up. `local`: only some nodes fail, below quorum
 * and not a whole region. `up`: no counted node fails. `unknown`: too few counted answers.
 */
export type Verdict = 'down' | 'regional' | 'local' | 'up' | 'unknown';

/** The verdicts an incident can carry. */
export type IncidentVerdict = 'down' | 'regional';

/**
 * Why a round ran: a node reported suspect, a node reported recovered, a periodic recheck, or
 * a new incident's deciding votes came from nodes found impaired or abstaining right after.
 */
export const ROUND_PURPOSES = ['confirm', 'recover', 'recheck', 'reconfirm'] as const;
export type RoundPurpose = (typeof ROUND_PURPOSES)[number];

/** What a node observed when it voted (its check result, condensed). */
export interface VoteEvidence {
  status: CheckStatus | null;
  latencyMs: number | null;
  errorKind: ErrorKind | null;
  message: string;
  timings: PhaseTimings;
  /** Epoch ms (coordinator clock for the coordinator, node clock otherwise) the check started. */
  checkedAt: number | null;
}

/**
 * Why a vote was not counted although the node answered: the node is impaired, its canaries
 * fail, or (no canaries) it fails most of its other monitors while other nodes see them up.
 */
export const SET_ASIDE_REASONS = ['impaired', 'canaries', 'vantage'] as const;
export type SetAsideReason = (typeof SET_ASIDE_REASONS)[number];

/** One node's vote in a round, as kept in the incident's evidence. */
export interface Vote extends VoteEvidence {
  nodeId: string;
  nodeName: string;
  region: string | null;
  outcome: VoteOutcome;
  /** Coordinator clock when the answer arrived; null for no answer. */
  answeredAt: number | null;
  /** True for an answer that came after the round was decided (recorded, not counted). */
  late: boolean;
  /** Set when the node answered but its vote was not counted. */
  setAside: SetAsideReason | null;
}

/** A confirmation round with its votes: the evidence behind every verdict. */
export interface ConsensusRound {
  id: string;
  monitorId: string;
  /** The incident this round opened, updated or resolved; null when it changed none. */
  incidentId: string | null;
  purpose: RoundPurpose;
  /** The node whose report started the round (the coordinator's id for a recheck). */
  triggeredBy: string;
  openedAt: number;
  deadlineAt: number;
  decidedAt: number;
  verdict: Verdict;
  /** Regions a regional verdict names (sorted); empty otherwise. */
  regions: string[];
  votes: Vote[];
}

/** A node's local hysteresis verdict on one monitor, sent to the coordinator. */
export type SignalKind = 'suspect' | 'recovered';

/** A node's report that its own results crossed a threshold for one monitor. */
export interface NodeSignal {
  monitorId: string;
  kind: SignalKind;
  /** Node clock: first result of the streak that crossed the threshold. */
  since: number;
  /** The result that crossed it. */
  evidence: VoteEvidence;
  /** True while the node's canaries fail: its failures count as abstentions. */
  canariesFailing: boolean;
}

/** A node's answer to a vote request. */
export interface VoteReply {
  /** `abstain` when the check failed while canaries fail, or the node lacks the monitor. */
  outcome: 'fail' | 'ok' | 'abstain';
  evidence: VoteEvidence;
  canariesFailing: boolean;
}

/** An ad-hoc check to run on every node (`crosscheck probe`). */
export interface ProbeCheck {
  type: string;
  target: string;
  options: Record<string, unknown>;
  timeoutMs: number;
}

/** The user-visible state of a node's health as judged from its votes. */
export type NodeHealth = 'healthy' | 'impaired';
