import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * Alert deliveries about cluster nodes: `monitor_id` and `incident_id` become optional and
 * `node_id` is added. SQLite cannot drop NOT NULL in place, so there the table is rebuilt
 * (same columns, same constraints, rows copied); PostgreSQL alters the columns.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`ALTER TABLE alert_deliveries ALTER COLUMN monitor_id DROP NOT NULL`.execute(db);
    await sql`ALTER TABLE alert_deliveries ALTER COLUMN incident_id DROP NOT NULL`.execute(db);
    await db.schema.alterTable('alert_deliveries').addColumn('node_id', 'text').execute();
    return;
  }
  await db.schema
    .createTable('alert_deliveries_v3')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_key', 'text', (c) => c.notNull().unique())
    .addColumn('monitor_id', 'text', (c) => c.references('monitors.id').onDelete('cascade'))
    .addColumn('incident_id', 'text')
    .addColumn('node_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await sql`INSERT INTO alert_deliveries_v3
    (id, delivery_key, monitor_id, incident_id, node_id, channel, settings, event, status,
     attempts, next_attempt_at, last_error, created_at, sent_at)
    SELECT id, delivery_key, monitor_id, incident_id, NULL, channel, settings, event, status,
     attempts, next_attempt_at, last_error, created_at, sent_at FROM alert_deliveries`.execute(db);
  await db.schema.dropTable('alert_deliveries').execute();
  await sql`ALTER TABLE alert_deliveries_v3 RENAME TO alert_deliveries`.execute(db);
  await db.schema
    .createIndex('alert_deliveries_due')
    .on('alert_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('alert_deliveries_monitor')
    .on('alert_deliveries')
    .columns(['monitor_id', 'created_at'])
    .execute();
}
