import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * Push (heartbeat) monitors: what the last pings said, one row per monitor, so a restarted
 * coordinator judges from the pings it received before (and the token stays in the monitor's
 * options, where secrets are masked and exported as placeholders like every type's).
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createTable('push_states')
    .addColumn('monitor_id', 'text', (c) =>
      c.primaryKey().references('monitors.id').onDelete('cascade'),
    )
    .addColumn('last_ping_at', 'bigint')
    .addColumn('last_status', 'text')
    .addColumn('last_message', 'text')
    .addColumn('run_started_at', 'bigint')
    .addColumn('last_run_ms', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
