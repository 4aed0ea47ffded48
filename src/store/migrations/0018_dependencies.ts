import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * Monitor dependencies: what each monitor depends on (JSON array of monitor ids and
 * `group:<name>` entries), and the parent incident an incident is linked to while a monitor it
 * depends on is confirmed down. The parent monitor's name is kept with the link so the history
 * still reads after it is renamed or deleted.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema
    .alterTable('monitors')
    .addColumn('depends_on', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('incidents').addColumn('caused_by_incident_id', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('caused_by_monitor_id', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('caused_by_monitor_name', 'text').execute();
}
