import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * DEFAULT_CONSENSUS as it was when this migration was written. Inlined on purpose: a
 * migration is frozen history, and a later change of the default must not change what an old
 * database is upgraded to.
 */
const CONSENSUS_DEFAULT =
  '{"quorum":"majority","requiredFailures":null,"minResponders":2,"flapChanges":4,"flapWindowMs":1800000}';

/**
 * Quorum consensus: per-monitor policy and regional routes, incident verdicts (at most one
 * open incident per monitor), the consensus fields of runtime states, confirmation rounds with
 * their votes, and node health (impaired).
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema
    .alterTable('monitors')
    .addColumn('consensus', 'text', (c) => c.notNull().defaultTo(CONSENSUS_DEFAULT))
    .execute();
  await db.schema
    .alterTable('monitors')
    .addColumn('regional_alerts', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();

  await db.schema
    .alterTable('incidents')
    .addColumn('verdict', 'text', (c) => c.notNull().defaultTo('down'))
    .execute();
  await db.schema
    .alterTable('incidents')
    .addColumn('regions', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await closeSupersededIncidents(db);
  // The guard against opening a monitor's outage twice (a crash or replay between a round's
  // decision and its commit): inserts use ON CONFLICT DO NOTHING, so the second is skipped.
  await db.schema
    .createIndex('incidents_one_open')
    .on('incidents')
    .column('monitor_id')
    .unique()
    .where(sql.ref('status'), '=', 'open')
    .execute();

  await addStateColumns(db);
  await createRounds(db);

  await db.schema.alterTable('nodes').addColumn('impaired_since', 'bigint').execute();
}

/**
 * Older builds could leave two open incidents of one monitor (different start times). The
 * unique index below would then fail the whole upgrade, so every open incident but the newest
 * is closed where the next one started: that is when the newer one took over the outage.
 */
async function closeSupersededIncidents(db: Kysely<unknown>): Promise<void> {
  const open = await sql<{ id: string; monitor_id: string; started_at: number | string }>`
    select id, monitor_id, started_at from incidents where status = 'open'
    order by monitor_id, started_at, id`.execute(db);
  for (let i = 0; i + 1 < open.rows.length; i++) {
    const row = open.rows[i];
    const next = open.rows[i + 1];
    if (row === undefined || next === undefined || row.monitor_id !== next.monitor_id) continue;
    const endedAt = Number(next.started_at);
    await sql`update incidents set status = 'resolved', ended_at = ${endedAt},
      resolved_at = ${endedAt}, duration_ms = ${endedAt - Number(row.started_at)}
      where id = ${row.id}`.execute(db);
  }
}

/** MonitorRuntimeState's consensus fields; lists as JSON text, like every other list column. */
async function addStateColumns(db: Kysely<unknown>): Promise<void> {
  const columns: [name: string, type: 'text' | 'bigint', listDefault: boolean][] = [
    ['open_incident_verdict', 'text', false],
    ['open_incident_regions', 'text', false],
    ['verdict', 'text', false],
    ['verdict_at', 'bigint', false],
    ['failing_regions', 'text', true],
    ['failing_nodes', 'text', true],
    ['flap_changes', 'text', true],
    ['flapping_since', 'bigint', false],
    ['last_ended_at', 'bigint', false],
  ];
  for (const [name, type, listDefault] of columns) {
    await db.schema
      .alterTable('monitor_state')
      .addColumn(name, type, (c) => (listDefault ? c.notNull().defaultTo('[]') : c))
      .execute();
  }
  // Incidents opened before consensus were all confirmed "down" everywhere.
  await sql`update monitor_state set open_incident_verdict = 'down', open_incident_regions = '[]'
    where open_incident_id is not null`.execute(db);
}

/** Decided confirmation rounds and every vote in them (late answers flagged). */
async function createRounds(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('monitor_id', 'text', (c) =>
      c.notNull().references('monitors.id').onDelete('cascade'),
    )
    // No foreign key: a round may name an incident that a concurrent opening made redundant
    // (skipped by the one-open-incident index); the round is still evidence.
    .addColumn('incident_id', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('triggered_by', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('deadline_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('regions', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rounds_monitor_decided_at')
    .on('rounds')
    .columns(['monitor_id', 'decided_at'])
    .execute();
  await db.schema.createIndex('rounds_incident').on('rounds').column('incident_id').execute();
  // Serves prune (old rounds of no incident) and unfiltered listings, newest first.
  await db.schema.createIndex('rounds_decided_at').on('rounds').column('decided_at').execute();

  await db.schema
    .createTable('round_votes')
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('node_name', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('latency_ms', 'double precision')
    .addColumn('error_kind', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('timings', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'bigint')
    .addColumn('answered_at', 'bigint')
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('set_aside', 'text')
    .addPrimaryKeyConstraint('round_votes_pk', ['round_id', 'node_id'])
    .execute();
}
