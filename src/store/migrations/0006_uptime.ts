import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * Uptime from confirmed downtime: when each incident became `down` and every region it named
 * (an escalation clears its regions), the history of pauses, and the node of each monitor's
 * last result.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('down_since', 'bigint').execute();
  await db.schema
    .alterTable('incidents')
    .addColumn('named_regions', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  // An incident stored as `down` before this was down from its start (escalation times were
  // not kept); a regional one names its current regions.
  await sql`update incidents set down_since = started_at where verdict = 'down'`.execute(db);
  await sql`update incidents set named_regions = regions where verdict = 'regional'`.execute(db);
  // Uptime reads the incidents overlapping a window: open ones and those ended inside it.
  await db.schema.createIndex('incidents_ended_at').on('incidents').column('ended_at').execute();

  await db.schema
    .createTable('monitor_pauses')
    .addColumn('monitor_id', 'text', (c) =>
      c.notNull().references('monitors.id').onDelete('cascade'),
    )
    .addColumn('paused_at', 'bigint', (c) => c.notNull())
    .addColumn('resumed_at', 'bigint')
    .addPrimaryKeyConstraint('monitor_pauses_pk', ['monitor_id', 'paused_at'])
    .execute();
  await db.schema
    .createIndex('monitor_pauses_resumed_at')
    .on('monitor_pauses')
    .column('resumed_at')
    .execute();
  // A monitor paused now has been paused since its last change, as far as anyone knows.
  await sql`insert into monitor_pauses (monitor_id, paused_at, resumed_at)
    select id, updated_at, null from monitors where paused = 1`.execute(db);

  await db.schema.alterTable('monitor_state').addColumn('last_node_id', 'text').execute();
}
