import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';

/**
 * Alert truth: incidents can be retracted (when and why); an open incident keeps the nodes that
 * confirmed it and the pages sent for it (`open_incident_detail`, JSON); a delivery stores its
 * alert kind and, for a closing alert, the opening delivery it follows on the same route.
 */
export async function up(db: Kysely<unknown>, _dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('retracted_at', 'bigint').execute();
  await db.schema.alterTable('incidents').addColumn('retraction', 'text').execute();
  await db.schema.alterTable('monitor_state').addColumn('open_incident_detail', 'text').execute();
  await db.schema.alterTable('alert_deliveries').addColumn('kind', 'text').execute();
  await db.schema.alterTable('alert_deliveries').addColumn('follows_id', 'text').execute();
  await backfillKinds(db);
  await db.schema
    .createIndex('alert_deliveries_incident_kind')
    .on('alert_deliveries')
    .columns(['incident_id', 'kind'])
    .execute();
}

/** Older rows carry their kind only inside the event JSON; read it out once. */
async function backfillKinds(db: Kysely<unknown>): Promise<void> {
  const rows = await sql<{ id: string; event: string }>`
    select id, event from alert_deliveries where kind is null`.execute(db);
  for (const row of rows.rows) {
    const kind = kindOf(row.event);
    if (kind !== null)
      await sql`update alert_deliveries set kind = ${kind} where id = ${row.id}`.execute(db);
  }
}

function kindOf(event: string): string | null {
  try {
    const parsed: unknown = JSON.parse(event);
    if (typeof parsed === 'object' && parsed !== null && 'kind' in parsed) {
      const kind = parsed.kind;
      return typeof kind === 'string' ? kind : null;
    }
  } catch {
    // A corrupt event stays without a kind; reading the row reports it with its column.
  }
  return null;
}
