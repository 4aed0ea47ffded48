import type { Kysely } from 'kysely';
import type { Incident } from '../../domain/incident.ts';
import type { IncidentFilter, IngestBatch } from '../types.ts';
import { insertChunks } from './chunks.ts';
import { incidentToRow, rowToIncident } from './rows.ts';
import type { Database } from './schema.ts';

/** Inserts opened incidents; a replay of the same opening inserts nothing. */
export async function insertOpenedIncidents(
  db: Kysely<Database>,
  incidents: readonly Incident[],
): Promise<void> {
  for (const rows of insertChunks(incidents.map(incidentToRow))) {
    // No conflict target: both the id and (monitor_id, started_at) identify a replay, and
    // a target-less DO NOTHING covers either on SQLite and PostgreSQL alike.
    await db
      .insertInto('incidents')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Marks incidents resolved; only open ones change, so a replay cannot rewrite history. */
export async function applyResolutions(
  db: Kysely<Database>,
  resolutions: IngestBatch['incidentsResolved'],
): Promise<void> {
  for (const r of resolutions) {
    await db
      .updateTable('incidents')
      .set({
        status: 'resolved',
        ended_at: r.endedAt,
        resolved_at: r.resolvedAt,
        duration_ms: r.durationMs,
      })
      .where('id', '=', r.id)
      .where('status', '=', 'open')
      .execute();
  }
}

/** Incidents, newest start first. */
export async function listIncidents(
  db: Kysely<Database>,
  filter: IncidentFilter = {},
): Promise<Incident[]> {
  let query = db.selectFrom('incidents').selectAll().orderBy('started_at', 'desc').orderBy('id');
  if (filter.monitorId !== undefined) query = query.where('monitor_id', '=', filter.monitorId);
  if (filter.active === true) query = query.where('status', '=', 'open');
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(rowToIncident);
}

/** One incident by id. */
export async function getIncident(db: Kysely<Database>, id: string): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : rowToIncident(row);
}
