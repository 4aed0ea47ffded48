import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import { AppError } from '../../lib/errors.ts';
import type { SqlDialectName } from './schema.ts';

// The check every leader write makes first in its own transaction, shared by the store (which
// runs it) and the lease (src/cluster/lease/fence.ts), which the store may not import.

/**
 * The error of a refused leader write: `epoch` is what the writer held (null: it does not lead
 * now), `stored` what the lease row says.
 */
export function fencedError(epoch: number | null, stored: number | null): AppError {
  if (epoch === null) {
    return new AppError(
      'FENCED',
      'write refused: this coordinator does not hold the leader lease (not the leader any more)',
    );
  }
  const now = stored === null ? 'no lease row exists' : `the stored epoch is ${stored}`;
  return new AppError(
    'FENCED',
    `write refused: this coordinator's lease epoch ${epoch} is not current (${now})`,
  );
}

/**
 * Refuses (FENCED) unless the lease row holds `epoch`. The row is read `for key share`, so an
 * acquisition (`for update`) waits for this transaction: every write is ordered before or after
 * an epoch change, never across it. Not `for share`: that would also hold up the holder's own
 * renewals (a non-key update) behind a long write, and cost a healthy leader its lease.
 */
export async function assertPostgresEpoch<DB>(trx: Transaction<DB>, epoch: number): Promise<void> {
  const { rows } = await sql<{ epoch: string | number }>`
    select epoch from leader_lease where id = 1 for key share`.execute(trx);
  const stored = rows[0] === undefined ? null : Number(rows[0].epoch);
  // Refused on any difference, not only a newer epoch: an older one means the row was restored
  // or rewritten behind the lease's back, and no write can be trusted to be the leader's.
  if (stored !== epoch) throw fencedError(epoch, stored);
}

/**
 * The check at the start of a leader write's transaction, for an epoch captured before it
 * began. SQLite has one coordinator (the data dir's lock), so only "not leading" is refused.
 */
export async function assertLeaderEpoch<DB>(
  trx: Transaction<DB>,
  dialect: SqlDialectName,
  epoch: number | null,
): Promise<void> {
  if (epoch === null) throw fencedError(null, null);
  if (dialect === 'postgres') await assertPostgresEpoch(trx, epoch);
}
