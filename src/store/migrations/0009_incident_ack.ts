import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * Incident acknowledgement: who first said "I am on it", when, and their note. Nullable
 * columns, so existing incidents read as not acknowledged.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('acknowledged_at', 'bigint').execute();
  await db.schema.alterTable('incidents').addColumn('acknowledged_by', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('ack_note', 'text').execute();
}
