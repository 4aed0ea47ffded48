import type { LeaderLease } from '../cluster/lease/types.ts';
import type { LeaseHolder } from '../domain/node.ts';
import type { Store } from '../store/types.ts';

/**
 * Reads who leads. This coordinator answers for itself from its own lease (exact, and the only
 * source on SQLite, where the row is never written); otherwise the row says, while unexpired.
 */
export function leaseHolderView(deps: {
  store: Pick<Store, 'leaderLease'>;
  lease: LeaderLease;
  self: string;
  now: () => number;
}): () => Promise<LeaseHolder | null> {
  return async () => {
    const own = deps.lease.current();
    if (own.holding && own.since !== undefined)
      return { nodeId: deps.self, epoch: own.epoch, since: own.since };
    const row = await deps.store.leaderLease();
    if (row === null || row.holder === null || row.holder === deps.self) return null;
    if (row.expiresAt <= deps.now()) return null;
    return { nodeId: row.holder, epoch: row.epoch, since: row.acquiredAt ?? row.expiresAt };
  };
}
