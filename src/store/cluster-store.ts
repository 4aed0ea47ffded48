import type { AlertDelivery } from '../domain/alert.ts';
import type { AlertRoute } from '../domain/monitor.ts';
import type { ClusterNode, MembershipState, NodeEvent, StoredJoinToken } from '../domain/node.ts';

/** One health transition of a node to apply and record (with its alerts). */
export interface NodeHealthChange {
  eventId: string;
  nodeId: string;
  impaired: boolean;
  at: number;
}

/** Figures a heartbeat refreshes; absent fields stay as they were. */
export interface NodeStatusUpdate {
  lastSeen: number;
  version?: string;
  clockOffsetMs?: number | null;
  checksPerSecond?: number | null;
  outboxBacklog?: number | null;
  remoteAddress?: string | null;
}

/** One membership transition to apply and record. */
export interface NodeStateChange {
  eventId: string;
  nodeId: string;
  from: MembershipState;
  to: MembershipState;
  at: number;
}

/** The leader lease's row (ADR 0010); on SQLite it is never written (one coordinator leads). */
export interface StoredLeaderLease {
  holder: string | null;
  epoch: number;
  /** When the holder's epoch began, on its clock; null before any holder. */
  acquiredAt: number | null;
  /** Until when the holder may act (its clock); 0 before any holder. */
  expiresAt: number;
}

/** The cluster's part of the store: nodes, their transitions and alerts, join tokens. */
export interface ClusterStore {
  /**
   * The database this store is on. Only PostgreSQL can be shared by several coordinators: a
   * coordinator join token is refused on SQLite.
   */
  readonly dialect: 'sqlite' | 'postgres';
  /** CONFLICT when the id or the (active) name is taken. */
  insertNode(node: ClusterNode): Promise<void>;
  /** Consumes the token and inserts the node atomically; CONFLICT when used or name taken. */
  enrolNode(tokenId: string, node: ClusterNode): Promise<void>;
  getNode(id: string): Promise<ClusterNode | undefined>;
  /** Ordered by name; removed nodes only with `includeRemoved`. */
  listNodes(options?: { includeRemoved?: boolean }): Promise<ClusterNode[]>;
  updateNodeStatus(id: string, update: NodeStatusUpdate): Promise<void>;
  /** Records a coordinator's advertised peer address (null clears it); ignores unknown or removed nodes. */
  setNodePeerAddress(id: string, address: string | null): Promise<void>;
  /**
   * Applies transitions and records each as a node event, with the alert deliveries they
   * caused, in one transaction (deliveries are unique by key, so a replay adds none).
   */
  applyNodeStateChanges(
    changes: readonly NodeStateChange[],
    alerts?: readonly AlertDelivery[],
  ): Promise<void>;
  /**
   * Sets or clears a node's `impairedSince`, records a node event (healthy → impaired or back)
   * and stores the alerts, in one transaction; a replayed event id changes nothing.
   */
  applyNodeHealthChange(change: NodeHealthChange, alerts?: readonly AlertDelivery[]): Promise<void>;
  /** Routes that receive node alerts (empty when none are set). */
  nodeAlertRoutes(): Promise<AlertRoute[]>;
  setNodeAlertRoutes(routes: readonly AlertRoute[]): Promise<void>;
  /** Marks the node removed (revoked); NOT_FOUND when absent, CONFLICT for the last coordinator. */
  removeNode(id: string, at: number, eventId: string): Promise<ClusterNode>;
  /** Newest first. */
  listNodeEvents(nodeId: string, limit: number): Promise<NodeEvent[]>;
  insertJoinToken(token: StoredJoinToken): Promise<void>;
  getJoinToken(id: string): Promise<StoredJoinToken | undefined>;
  /** The leader lease row; null if the row is missing (a database not migrated that far). */
  leaderLease(): Promise<StoredLeaderLease | null>;
}
