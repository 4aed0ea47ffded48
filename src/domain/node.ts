/** Whether a node is the coordinator (CA, canonical config, store) or a checking agent. */
export type NodeRole = 'coordinator' | 'agent';

/**
 * Membership state as the coordinator sees it: `online` while heartbeats arrive, `grace` after
 * a missed heartbeat or a dropped channel, `missing` once the grace period has run out.
 */
export type MembershipState = 'online' | 'grace' | 'missing';

export const MEMBERSHIP_STATES: readonly MembershipState[] = ['online', 'grace', 'missing'];

/** A cluster member as the coordinator records it. */
export interface ClusterNode {
  id: string;
  name: string;
  role: NodeRole;
  region: string | null;
  labels: Record<string, string>;
  /** Crosscheck version the node last reported. */
  version: string;
  /** Serial of the node's certificate (lowercase hex); revoked when the node is removed. */
  certSerial: string;
  certNotAfter: number;
  enrolledAt: number;
  /** Epoch ms of the last heartbeat (or any message) from the node; null before the first. */
  lastSeen: number | null;
  state: MembershipState;
  stateSince: number;
  /** The node's clock minus the coordinator's, in ms (positive: the node runs ahead). */
  clockOffsetMs: number | null;
  checksPerSecond: number | null;
  /** Results waiting in the node's outbox at its last heartbeat. */
  outboxBacklog: number | null;
  /** Address the node's channel came from, as the coordinator saw it. */
  remoteAddress: string | null;
  removedAt: number | null;
  /** Epoch ms the node was judged impaired (its votes set aside); null while healthy. */
  impairedSince: number | null;
  /**
   * A coordinator's advertised peer address (host:port), recorded when it starts; absent for
   * agents and for coordinators that have not recorded one. Agents learn every coordinator's
   * from it.
   */
  peerAddress?: string;
}

/** One membership transition, kept so "missing at 03:12, back at 03:20" is on record. */
export interface NodeEvent {
  id: string;
  nodeId: string;
  at: number;
  from: NodeEventState | null;
  to: NodeEventState;
}

/** What a node event records: a membership change, removal, or a health change. */
export type NodeEventState = MembershipState | 'removed' | 'impaired' | 'healthy';

/** A join token as stored: the secret only as a hash. */
export interface StoredJoinToken {
  id: string;
  secretHash: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedByNode: string | null;
  /** Role of the enrolled node's operator token (absent: editor, the default). */
  operatorRole?: 'viewer' | 'editor' | 'admin';
  /** What the token enrols (absent: an agent). */
  kind?: JoinTokenKind;
}

/** What a join token enrols: an agent, or another coordinator sharing the database. */
export type JoinTokenKind = 'agent' | 'coordinator';
export const JOIN_TOKEN_KINDS: readonly JoinTokenKind[] = ['agent', 'coordinator'];

/** Who holds the leader lease (ADR 0010): the coordinator running the leader plane. */
export interface LeaseHolder {
  nodeId: string;
  epoch: number;
  /** When its epoch began (its clock). */
  since: number;
}

/**
 * Whether the coordinator `selfId` counts `node` as a vantage point (membership, votes): every
 * agent and itself. Other coordinators follow and run no checks; the one that led before a
 * failover is not a node gone missing.
 */
export function isVantageOf(node: Pick<ClusterNode, 'id' | 'role'>, selfId: string): boolean {
  return node.role !== 'coordinator' || node.id === selfId;
}
