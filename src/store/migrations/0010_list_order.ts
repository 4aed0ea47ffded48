import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * Keyset pagination reads every list in its sort order from a position: these indexes serve
 * the two orders no earlier index covered (incidents by start, monitors by name), so a page
 * deep in the list costs what the first one does. Results, rounds and alert deliveries
 * already have theirs (0001, 0004, 0005).
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createIndex('incidents_started_at')
    .on('incidents')
    .columns(['started_at', 'id'])
    .execute();
  await db.schema.createIndex('monitors_name').on('monitors').columns(['name', 'id']).execute();
}
