import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * The first schema. Portable types only (text, integer, bigint, double precision; JSON as
 * text, booleans as 0/1) so PostgreSQL runs the same migration; the only dialect switch is
 * how `results.seq` is generated.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createTable('monitors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('interval_ms', 'integer', (c) => c.notNull())
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('group_name', 'text')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('failure_threshold', 'integer', (c) => c.notNull())
    .addColumn('recovery_threshold', 'integer', (c) => c.notNull())
    .addColumn('degraded_is_down', 'integer', (c) => c.notNull())
    .addColumn('paused', 'integer', (c) => c.notNull())
    .addColumn('alerts', 'text', (c) => c.notNull())
    .addColumn('alert_cooldown_ms', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('monitor_state')
    .addColumn('monitor_id', 'text', (c) =>
      c.primaryKey().references('monitors.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
    .addColumn('consecutive_successes', 'integer', (c) => c.notNull())
    .addColumn('failure_streak_started_at', 'bigint')
    .addColumn('success_streak_started_at', 'bigint')
    .addColumn('open_incident_id', 'text')
    .addColumn('open_incident_started_at', 'bigint')
    .addColumn('last_checked_at', 'bigint')
    .addColumn('last_result_status', 'text')
    .addColumn('last_latency_ms', 'double precision')
    .addColumn('last_message', 'text')
    .addColumn('last_error_kind', 'text')
    .addColumn('status_since', 'bigint')
    .addColumn('last_down_alert_at', 'bigint')
    .execute();

  // AUTOINCREMENT (SQLite) and bigserial (PostgreSQL) both guarantee a seq is never reused,
  // even after the newest rows are deleted; the rollup watermark depends on that.
  const results =
    dialect === 'sqlite'
      ? db.schema
          .createTable('results')
          .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      : db.schema.createTable('results').addColumn('seq', 'bigserial', (c) => c.primaryKey());
  await results
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('monitor_id', 'text', (c) =>
      c.notNull().references('monitors.id').onDelete('cascade'),
    )
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('latency_ms', 'double precision', (c) => c.notNull())
    .addColumn('dns_ms', 'double precision')
    .addColumn('connect_ms', 'double precision')
    .addColumn('tls_ms', 'double precision')
    .addColumn('first_byte_ms', 'double precision')
    .addColumn('error_kind', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('results_monitor_checked_at')
    .on('results')
    .columns(['monitor_id', 'checked_at'])
    .execute();
  // Serves "latest results of every monitor" (history without a monitor) without a full
  // scan; checked_at grows with time, so inserts append to this index (~7% more disk).
  await db.schema.createIndex('results_checked_at').on('results').column('checked_at').execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('monitor_id', 'text', (c) =>
      c.notNull().references('monitors.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('duration_ms', 'bigint')
    .addColumn('error_kind', 'text')
    .addColumn('cause', 'text', (c) => c.notNull())
    // A replayed batch must not open the same outage twice.
    .addUniqueConstraint('incidents_monitor_started_at', ['monitor_id', 'started_at'])
    .execute();
  await db.schema.createIndex('incidents_status').on('incidents').column('status').execute();

  await db.schema
    .createTable('alert_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_key', 'text', (c) => c.notNull().unique())
    .addColumn('monitor_id', 'text', (c) =>
      c.notNull().references('monitors.id').onDelete('cascade'),
    )
    .addColumn('incident_id', 'text', (c) => c.notNull())
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
  await db.schema
    .createIndex('alert_deliveries_due')
    .on('alert_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  // Serves per-monitor listings and keeps the cascade on monitor delete from scanning.
  await db.schema
    .createIndex('alert_deliveries_monitor')
    .on('alert_deliveries')
    .columns(['monitor_id', 'created_at'])
    .execute();

  // Rollup buckets per minute, hour and UTC day (the day table has extra columns, below).
  for (const table of ['rollup_minute', 'rollup_hour', 'rollup_day']) {
    let create = db.schema
      .createTable(table)
      .addColumn('monitor_id', 'text', (c) =>
        c.notNull().references('monitors.id').onDelete('cascade'),
      )
      .addColumn('bucket_start', 'bigint', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('degraded', 'integer', (c) => c.notNull())
      .addColumn('latency_p50', 'double precision')
      .addColumn('latency_p95', 'double precision')
      .addColumn('latency_max', 'double precision');
    if (table === 'rollup_day') {
      // Running totals through the day (`count_before_h07`: results before 07:00), so one
      // day row gives any span of whole hours in it: uptime's window edges.
      for (const kind of ['count', 'failures']) {
        for (let hour = 1; hour < 24; hour++) {
          const column = `${kind}_before_h${String(hour).padStart(2, '0')}`;
          create = create.addColumn(column, 'integer', (c) => c.notNull());
        }
      }
    }
    await create.addPrimaryKeyConstraint(`${table}_pk`, ['monitor_id', 'bucket_start']).execute();
  }
  // Uptime sums whole days from this covering index rather than from the day rows, which
  // the running totals make about five times wider: a third less time in
  // bench/store-uptime.ts, for one more index entry written per day bucket.
  await db.schema
    .createIndex('rollup_day_totals')
    .on('rollup_day')
    .columns(['monitor_id', 'bucket_start', 'count', 'failures'])
    .execute();

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
