import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Monitor } from '../../domain/monitor.ts';
import type { DependencyNode } from '../../domain/dependencies.ts';
import { parseStringArray } from './json-column.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { MonitorFilter, MonitorWrite } from '../types.ts';
import { suppressPendingOfMonitor } from './deliveries.ts';
import { monitorToRow, rowToMonitor } from './rows.ts';
import { chunked, IN_LIST_CHUNK, insertChunks } from './chunks.ts';
import { recordPauseChange } from './pauses.ts';
import type { Database, MonitorsTable, SqlDialectName } from './schema.ts';
import { yieldToEventLoop } from './event-loop.ts';

/** Writes new monitor rows inside the caller's transaction (ids already checked free). */
export type MonitorRowInserter = (
  db: Kysely<Database>,
  rows: readonly Insertable<MonitorsTable>[],
) => Promise<void>;

/** The portable monitor writer: multi-row INSERTs under the bind-parameter budget. */
export const insertMonitorRowsWithKysely: MonitorRowInserter = async (db, rows) => {
  for (const chunk of insertChunks(rows)) await db.insertInto('monitors').values(chunk).execute();
};

/** Inserts a new monitor (a paused one starts its pause history); CONFLICT when the id is taken. */
export async function insertMonitor(db: Kysely<Database>, monitor: Monitor): Promise<void> {
  // ON CONFLICT DO NOTHING + affected-row count reports a duplicate the same way on every
  // dialect, without parsing driver-specific constraint errors.
  const result = await db
    .insertInto('monitors')
    .values(monitorToRow(monitor))
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
    throw new AppError('CONFLICT', `monitor ${monitor.id} already exists`);
  }
  const change = { wasPaused: false, paused: monitor.paused, at: monitor.createdAt };
  await recordPauseChange(db, monitor.id, change);
}

/**
 * Replaces every field of an existing monitor; NOT_FOUND when absent. A pause or resume is
 * recorded as of `updatedAt`; call inside a transaction so both land together.
 */
export async function updateMonitor(db: Kysely<Database>, monitor: Monitor): Promise<void> {
  const { id, ...fields } = monitorToRow(monitor);
  const before = await db
    .selectFrom('monitors')
    .select('paused')
    .where('id', '=', id)
    .executeTakeFirst();
  if (before === undefined) throw notFound('monitor', monitor.id);
  await db.updateTable('monitors').set(fields).where('id', '=', id).execute();
  const change = { wasPaused: before.paused !== 0, paused: monitor.paused, at: monitor.updatedAt };
  await recordPauseChange(db, id, change);
}

/**
 * Deletes a monitor; the schema's ON DELETE CASCADE removes what belongs to it, except its
 * alert deliveries: they are the alert log and stay, the unsent ones marked suppressed. Run
 * inside a transaction.
 */
export async function deleteMonitor(db: Kysely<Database>, id: string): Promise<boolean> {
  await suppressPendingOfMonitor(db, id);
  // A deleted monitor is no longer managed by a config file (no foreign key: the table is
  // shared by every kind a file manages).
  await db
    .deleteFrom('managed_objects')
    .where('kind', '=', 'monitor')
    .where('object_id', '=', id)
    .execute();
  const result = await db.deleteFrom('monitors').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** One monitor by id. */
export async function getMonitor(db: Kysely<Database>, id: string): Promise<Monitor | undefined> {
  const row = await db.selectFrom('monitors').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : rowToMonitor(row);
}

/** Monitors ordered by name then id, optionally by group and tag, from a position, limited. */
export async function listMonitors(
  db: Kysely<Database>,
  dialect: SqlDialectName,
  filter: MonitorFilter = {},
): Promise<Monitor[]> {
  let query = db.selectFrom('monitors').selectAll().orderBy('name').orderBy('id');
  if (filter.group !== undefined) query = query.where('group_name', '=', filter.group);
  const { tag, after } = filter;
  if (tag !== undefined) query = query.where(hasTag(dialect, tag));
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('name', '>', after.name),
        eb.and([eb('name', '=', after.name), eb('id', '>', after.id)]),
      ]),
    );
  }
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(rowToMonitor);
}

/**
 * Whether the JSON tag array holds `tag` as a whole element, in SQL so a limited page counts
 * only matching monitors (each dialect has its own JSON operators; both compare exactly).
 */
function hasTag(dialect: SqlDialectName, tag: string) {
  return dialect === 'sqlite'
    ? sql<boolean>`exists (select 1 from json_each(monitors.tags) where json_each.value = ${tag})`
    : sql<boolean>`(monitors.tags::jsonb @> jsonb_build_array(${tag}::text))`;
}

/**
 * Inserts and updates monitors in the caller's transaction: the inserts first, as multi-row
 * statements (a bulk request of 1,000 creates is a few statements, not 1,000), then each update.
 * A taken id (CONFLICT) or a missing monitor (NOT_FOUND) throws, so the caller's transaction
 * writes none of them. The writes must name each monitor once.
 */
export async function saveMonitors(
  db: Kysely<Database>,
  writes: readonly MonitorWrite[],
  insertRows: MonitorRowInserter,
): Promise<void> {
  await insertMonitors(
    db,
    writes.filter((w) => w.op === 'insert').map((w) => w.monitor),
    insertRows,
  );
  let updated = 0;
  for (const write of writes) {
    if (write.op !== 'update') continue;
    await updateMonitor(db, write.monitor);
    if (++updated % WRITE_SLICE === 0) await yieldToEventLoop();
  }
}

/**
 * Monitors written between two turns of the event loop. A write of 100,000 (an apply) is one
 * transaction of seconds; Kysely's connection lock keeps other queries waiting until it
 * commits, but timers, sockets and checks run between slices instead of after the whole.
 */
const WRITE_SLICE = 1_000;

async function insertMonitors(
  db: Kysely<Database>,
  monitors: readonly Monitor[],
  insertRows: MonitorRowInserter,
): Promise<void> {
  const ids = monitors.map((m) => m.id);
  const taken = [...(await existingMonitorIds(db, ids))];
  const seen = new Set<string>();
  const repeated = ids.filter((id) => seen.size === seen.add(id).size);
  if (taken.length > 0 || repeated.length > 0) {
    throw new AppError('CONFLICT', `monitor ids taken: ${[...taken, ...repeated].join(', ')}`);
  }
  for (let start = 0; start < monitors.length; start += WRITE_SLICE) {
    if (start > 0) await yieldToEventLoop();
    await insertRows(db, monitors.slice(start, start + WRITE_SLICE).map(monitorToRow));
  }
  const paused = monitors.filter((m) => m.paused);
  for (const rows of insertChunks(
    paused.map((m) => ({ monitor_id: m.id, paused_at: m.createdAt, resumed_at: null })),
  )) {
    await db.insertInto('monitor_pauses').values(rows).execute();
  }
}

/** Which of `ids` still exist as monitors (in chunks, to stay under bind-parameter limits). */
/** Monitors whose `depends_on` is not empty, with what the dependency graph needs. */
export async function listDependencyNodes(db: Kysely<Database>): Promise<DependencyNode[]> {
  const rows = await db
    .selectFrom('monitors')
    .select(['id', 'name', 'group_name', 'depends_on'])
    .where('depends_on', '<>', '[]')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    group: row.group_name,
    dependsOn: parseStringArray(row.depends_on, { table: 'monitors', column: 'depends_on' }),
  }));
}

export async function existingMonitorIds(
  db: Kysely<Database>,
  ids: Iterable<string>,
  options: { lockUntilCommit?: boolean } = {},
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunked([...new Set(ids)], IN_LIST_CHUNK)) {
    let query = db.selectFrom('monitors').select('id').where('id', 'in', chunk);
    if (options.lockUntilCommit === true) query = query.forKeyShare();
    const rows = await query.execute();
    for (const row of rows) found.add(row.id);
    await yieldToEventLoop();
  }
  return found;
}
