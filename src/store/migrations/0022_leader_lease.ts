import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * The leader lease (src/cluster/lease/): one row, id 1, created here so acquiring never races
 * an insert — every coordinator locks and updates the same row. `holder` null means free;
 * `epoch` only grows (each acquisition adds one) and is what fenced writes compare against.
 * Times are epoch ms on the writing coordinator's clock. On SQLite the row stays free: the one
 * coordinator holds epoch 1 without writing it.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createTable('leader_lease')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('holder', 'text')
    .addColumn('epoch', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('acquired_at', 'bigint')
    .addColumn('renewed_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull().defaultTo(0))
    // The holder's dedicated connection, which a new leader terminates before taking over.
    .addColumn('holder_backend_pid', 'integer')
    // Where agents can reach the leader's peer port (host:port), for later failover.
    .addColumn('holder_address', 'text')
    .addCheckConstraint('leader_lease_single_row', sql`id = 1`)
    .execute();
  await sql`insert into leader_lease (id, epoch, expires_at) values (1, 0, 0)`.execute(db);
}
