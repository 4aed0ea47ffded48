import type { Transaction } from 'kysely';
import { assertPostgresEpoch } from '../../store/sql/leader-fence.ts';
import type { StoredLeaderLease } from '../../store/types.ts';
import type { SqlDialectName } from '../../store/sql/schema.ts';
import type { LeaderLease } from './types.ts';

/**
 * Fencing: what keeps a coordinator that lost the lease — paused, partitioned, slow — from
 * writing as the leader after a newer leader took over. Every incident, round and alert write
 * carries the epoch it was decided under and calls `assertLeaseEpoch` first in its transaction.
 */
export interface LeaseFence {
  /**
   * Inside the caller's transaction: refuses (FENCED) when the stored epoch is not `epoch`. On
   * PostgreSQL the row is read `for key share`, so an acquisition (`for update`) waits for this
   * transaction and every write is ordered before or after an epoch change, never across it.
   */
  assertLeaseEpoch<DB>(trx: Transaction<DB>, epoch: number): Promise<void>;
  /**
   * The dispatcher's check right before each send: the lease held by the clock and, on
   * PostgreSQL, the stored row still naming this coordinator at its epoch. False when the row
   * cannot be read: a send waits for certainty (the durable dispatcher retries it).
   */
  leaseStillHeld(): Promise<boolean>;
}

/** The fence for a store's dialect; on SQLite the one coordinator always holds the lease. */
export function createLeaseFence(deps: {
  dialect: SqlDialectName;
  /** The stored lease row (`Store.leaderLease`). */
  readLease: () => Promise<Pick<StoredLeaderLease, 'holder' | 'epoch'> | null>;
  lease: LeaderLease;
  self: string;
}): LeaseFence {
  if (deps.dialect === 'sqlite') {
    return {
      // Nothing to compare: SQLite has one coordinator (the data dir's lock) at epoch 1.
      assertLeaseEpoch: () => Promise.resolve(),
      leaseStillHeld: () => Promise.resolve(deps.lease.current().holding),
    };
  }
  return {
    assertLeaseEpoch: (trx, epoch) => assertPostgresEpoch(trx, epoch),
    leaseStillHeld: async () => {
      const before = deps.lease.current();
      if (!before.holding) return false;
      try {
        const row = await deps.readLease();
        // Judged again after the read: the clock may have run out while it was in flight.
        return (
          row?.holder === deps.self && row.epoch === before.epoch && deps.lease.current().holding
        );
      } catch {
        return false;
      }
    },
  };
}
