import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * Each coordinator's advertised peer address (host:port, what it puts in join tokens), so every
 * coordinator can tell agents where all of them are. Null for agents and for coordinators that
 * have not started since this migration.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('nodes').addColumn('peer_address', 'text').execute();
}
