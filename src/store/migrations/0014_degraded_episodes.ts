import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * A monitor's open degraded episode, kept with its runtime state so a restart neither forgets
 * it nor pages its start again: JSON { id, startedAt, openedAt, suppressed, openings }, null when none.
 * Nullable, so existing monitors read as having no episode.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('monitor_state').addColumn('degraded_episode', 'text').execute();
}
