import type { LeaderLease, LeaseEvents, LeaseState } from './types.ts';

/** The one epoch a SQLite coordinator ever holds. */
export const SQLITE_LEASE_EPOCH = 1;

/**
 * The lease on SQLite: one coordinator owns the data dir (its lock file says so), so it holds
 * the lease from start to stop, epoch 1, and never loses it. Same interface as PostgreSQL's, so
 * the coordinator starts its leader plane the same way on both.
 */
export function createSqliteLease(deps: {
  events: LeaseEvents;
  now: () => number;
  /** This coordinator's node id. */
  self: string;
}): LeaderLease {
  let since: number | null = null;
  return {
    start: () => {
      if (since === null) {
        since = deps.now();
        deps.events.acquired(SQLITE_LEASE_EPOCH);
      }
      return Promise.resolve();
    },
    stop: () => {
      since = null;
      return Promise.resolve();
    },
    // Agents have no other coordinator to be sent to.
    leader: () => (since === null ? null : { nodeId: deps.self, address: null }),
    current: (): LeaseState =>
      since === null
        ? { holding: false, epoch: SQLITE_LEASE_EPOCH }
        : { holding: true, epoch: SQLITE_LEASE_EPOCH, since },
  };
}
