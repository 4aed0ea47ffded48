import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * The alert log. Deliveries outlive their monitor (the `ON DELETE CASCADE` on `monitor_id`
 * goes: the log is kept as long as incident history, see `Store.prune`); the policy's
 * decision reason gets its own column (older builds stored a suppressed delivery's reason in
 * `last_error`, moved here); every send attempt is recorded in `alert_attempts`; and indexes
 * serve the log's queries (newest first, per monitor, per incident). SQLite cannot drop a
 * foreign key in place, so there the table is rebuilt (same columns plus `reason`, rows
 * copied); PostgreSQL alters it.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`ALTER TABLE alert_deliveries DROP CONSTRAINT IF EXISTS alert_deliveries_monitor_id_fkey`.execute(
      db,
    );
    await db.schema.alterTable('alert_deliveries').addColumn('reason', 'text').execute();
    await moveSuppressionReasons(db);
  } else {
    await rebuildSqliteDeliveries(db);
  }
  await db.schema
    .createIndex('alert_deliveries_created')
    .ifNotExists()
    .on('alert_deliveries')
    .columns(['created_at'])
    .execute();
  await db.schema
    .createIndex('alert_deliveries_incident')
    .ifNotExists()
    .on('alert_deliveries')
    .columns(['incident_id'])
    .execute();
  await db.schema
    .createTable('alert_attempts')
    .addColumn('delivery_id', 'text', (c) =>
      c.notNull().references('alert_deliveries.id').onDelete('cascade'),
    )
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('http_status', 'integer')
    .addPrimaryKeyConstraint('alert_attempts_pk', ['delivery_id', 'attempt'])
    .execute();
}

async function moveSuppressionReasons(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE alert_deliveries SET reason = last_error, last_error = NULL
    WHERE status = 'suppressed'`.execute(db);
}

async function rebuildSqliteDeliveries(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_deliveries_v5')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_key', 'text', (c) => c.notNull().unique())
    .addColumn('monitor_id', 'text')
    .addColumn('incident_id', 'text')
    .addColumn('node_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await sql`INSERT INTO alert_deliveries_v5
    (id, delivery_key, monitor_id, incident_id, node_id, channel, settings, event, status,
     attempts, next_attempt_at, reason, last_error, created_at, sent_at)
    SELECT id, delivery_key, monitor_id, incident_id, node_id, channel, settings, event, status,
     attempts, next_attempt_at,
     CASE WHEN status = 'suppressed' THEN last_error END,
     CASE WHEN status = 'suppressed' THEN NULL ELSE last_error END,
     created_at, sent_at FROM alert_deliveries`.execute(db);
  await db.schema.dropTable('alert_deliveries').execute();
  await sql`ALTER TABLE alert_deliveries_v5 RENAME TO alert_deliveries`.execute(db);
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
