import type { ClusterBus } from '../cluster/bus/types.ts';
import type { LeaseHolder } from '../domain/node.ts';
import type { Logger } from '../observability/logger.ts';
import type { CoordinatorDatabase } from './coordinator-database.ts';

/** Which planes a composition runs: every coordinator serves the API; the lease holder leads. */
export type CoordinatorPlane = { leading: true; epoch: number } | { leading: false };

/** What outlives a composition: the database, the bus, the lease's views, the start time. */
export interface CoordinatorShared {
  database: CoordinatorDatabase;
  /** How coordinators tell each other what changed (LISTEN/NOTIFY on PostgreSQL). */
  bus: ClusterBus;
  log: Logger;
  startedAt: number;
  /** Who holds the leader lease now, for `node list` and `health`. */
  leaseHolder: () => Promise<LeaseHolder | null>;
  /** The dispatcher's last question before a send: does this coordinator still lead? */
  stillLeading: () => Promise<boolean>;
  /** The leader as the lease last saw it: where a follower sends agents. */
  leader: () => { nodeId: string; address: string | null } | null;
  /** Several coordinators may share the database (PostgreSQL): a stopping leader sends agents on. */
  shared: boolean;
}

/** One running composition of the coordinator, replaced whole when the lease changes hands. */
export interface CoordinatorComposition {
  apiUrl: string;
  /** The peer port as bound (host:port), where agents and joining nodes reach this coordinator. */
  peerAddress: string;
  stop(): Promise<void>;
}
