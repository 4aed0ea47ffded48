import type { Kysely } from 'kysely';
import type { Incident, IncidentAcknowledgement } from '../../domain/incident.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { IncidentFilter, IngestBatch } from '../types.ts';
import { parseStringArray } from './json-column.ts';
import { incidentToRow, rowToIncident } from './rows.ts';
import type { Database } from './schema.ts';

type Resolution = IngestBatch['incidentsResolved'][number];
type Update = NonNullable<IngestBatch['incidentsUpdated']>[number];
type Retraction = NonNullable<IngestBatch['incidentsRetracted']>[number];
type Link = NonNullable<IngestBatch['incidentsLinked']>[number];

/**
 * Writes a batch's incident changes so that the at-most-one-open-incident index sees them in
 * the order they happened: changes to incidents stored earlier first (a resolution frees the
 * monitor for a new opening), then each opening in order, followed at once by its own
 * verdict changes and resolution (so open → resolve → open again in one batch keeps both).
 * Updates precede resolutions because only open incidents change.
 */
export async function writeIncidentChanges(
  db: Kysely<Database>,
  opened: readonly Incident[],
  updated: readonly Update[],
  resolved: readonly Resolution[],
  retracted: readonly Retraction[] = [],
  linked: readonly Link[] = [],
): Promise<void> {
  await applyUpdates(db, updated);
  await applyLinks(db, linked);
  await applyResolutions(db, resolved);
  await applyRetractions(db, retracted);
  const ordered = [...opened].sort((a, b) => a.openedAt - b.openedAt || a.startedAt - b.startedAt);
  for (const incident of ordered) {
    // No conflict target: the id, (monitor_id, started_at) and the one-open-incident index
    // each identify a replay or a second opening, and a target-less DO NOTHING covers any of
    // them on SQLite and PostgreSQL alike. One row per statement keeps the order; openings
    // are rare.
    const inserted = await db
      .insertInto('incidents')
      .values(incidentToRow(incident))
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    await applyUpdates(
      db,
      updated.filter((u) => u.id === incident.id),
    );
    await applyLinks(
      db,
      linked.filter((l) => l.id === incident.id),
    );
    await applyResolutions(
      db,
      resolved.filter((r) => r.id === incident.id),
    );
    await applyRetractions(
      db,
      retracted.filter((r) => r.id === incident.id),
    );
  }
}

/** Marks open incidents retracted with the reason; a replay cannot rewrite a closed one. */
async function applyRetractions(
  db: Kysely<Database>,
  retractions: readonly Retraction[],
): Promise<void> {
  for (const r of retractions) {
    await db
      .updateTable('incidents')
      .set({ status: 'retracted', retracted_at: r.retractedAt, retraction: r.reason })
      .where('id', '=', r.id)
      .where('status', '=', 'open')
      .execute();
  }
}

/**
 * Changes the verdict and regions of open incidents (a resolved one keeps its last). The first
 * change to `down` dates `down_since` (once down it stays so), and every region named is kept
 * in `named_regions`, since a `down` verdict clears `regions`.
 */
async function applyUpdates(db: Kysely<Database>, updates: readonly Update[]): Promise<void> {
  for (const u of updates) {
    const row = await db
      .selectFrom('incidents')
      .select(['down_since', 'named_regions'])
      .where('id', '=', u.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (row === undefined) continue;
    const named = parseStringArray(row.named_regions, {
      table: 'incidents',
      column: 'named_regions',
    });
    await db
      .updateTable('incidents')
      .set({
        verdict: u.verdict,
        regions: JSON.stringify(u.regions),
        down_since: row.down_since ?? (u.verdict === 'down' ? u.at : null),
        named_regions: JSON.stringify([...new Set([...named, ...u.regions])].sort()),
      })
      .where('id', '=', u.id)
      .execute();
  }
}

/**
 * Links open incidents to the parent incident that explains them, or (null) unlinks them; a
 * replay cannot relink a closed one.
 */
async function applyLinks(db: Kysely<Database>, links: readonly Link[]): Promise<void> {
  for (const l of links) {
    await db
      .updateTable('incidents')
      .set({
        caused_by_incident_id: l.causedBy?.incidentId ?? null,
        caused_by_monitor_id: l.causedBy?.monitorId ?? null,
        caused_by_monitor_name: l.causedBy?.monitorName ?? null,
      })
      .where('id', '=', l.id)
      .where('status', '=', 'open')
      .execute();
  }
}

/** Marks incidents resolved; only open ones change, so a replay cannot rewrite history. */
async function applyResolutions(
  db: Kysely<Database>,
  resolutions: readonly Resolution[],
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
  const { after } = filter;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('started_at', '<', after.startedAt),
        eb.and([eb('started_at', '=', after.startedAt), eb('id', '>', after.id)]),
      ]),
    );
  }
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(rowToIncident);
}

/** One incident by id. */
export async function getIncident(db: Kysely<Database>, id: string): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : rowToIncident(row);
}

/**
 * Acknowledges an open incident in one conditional statement, so an acknowledgement racing a
 * resolution either lands while it is open or not at all. The first `at`/`by` stay; a note
 * replaces the old one only when given.
 */
export async function acknowledgeIncident(
  db: Kysely<Database>,
  id: string,
  ack: IncidentAcknowledgement,
): Promise<Incident> {
  const updated = await db
    .updateTable('incidents')
    .set((eb) => ({
      acknowledged_at: eb.fn.coalesce('acknowledged_at', eb.val(ack.at)),
      acknowledged_by: eb.fn.coalesce('acknowledged_by', eb.val(ack.by)),
      ack_note: ack.note === null ? eb.ref('ack_note') : eb.val(ack.note),
    }))
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  const incident = await getIncident(db, id);
  if (incident === undefined) throw notFound('incident', id);
  if (Number(updated.numUpdatedRows) === 0) {
    throw new AppError(
      'CONFLICT',
      `incident ${id} is ${incident.status}; only an open incident can be acknowledged`,
    );
  }
  return incident;
}
