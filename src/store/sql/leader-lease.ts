import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { StoredLeaderLease } from '../cluster-store.ts';
import type { Database } from './schema.ts';

/**
 * The leader lease row (migration 0022) as the lease loop left it. Read with plain SQL: the row
 * belongs to `cluster/lease/`, which writes it on its own connection, not through the store.
 */
export async function readLeaderLease(db: Kysely<Database>): Promise<StoredLeaderLease | null> {
  const { rows } = await sql<{
    holder: string | null;
    epoch: string | number;
    acquired_at: string | number | null;
    expires_at: string | number;
  }>`select holder, epoch, acquired_at, expires_at from leader_lease where id = 1`.execute(db);
  const row = rows[0];
  if (row === undefined) return null;
  return {
    holder: row.holder,
    epoch: Number(row.epoch),
    acquiredAt: row.acquired_at === null ? null : Number(row.acquired_at),
    expiresAt: Number(row.expires_at),
  };
}
