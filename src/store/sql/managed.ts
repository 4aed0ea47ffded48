import type { Kysely } from 'kysely';
import type { ManagedKind, ManagedRecord } from '../../domain/managed-object.ts';
import { MANAGED_KINDS } from '../../domain/managed-object.ts';
import type { ConfigChange, ManagedMatch, ManagedPage } from '../managed-store.ts';
import {
  deleteRule,
  deleteTarget,
  insertTargetIn,
  replaceTarget,
  saveRuleIn,
} from './alert-targets.ts';
import { oneOf } from './json-column.ts';
import { deleteWindow, saveWindowIn } from './maintenance.ts';
import { deletePage, savePageIn } from './status-pages.ts';
import { chunked, IN_LIST_CHUNK, insertChunks } from './chunks.ts';
import type { MonitorRowInserter } from './monitors.ts';
import { deleteMonitor, saveMonitors } from './monitors.ts';
import type { Database, ManagedObjectsTable } from './schema.ts';
import { yieldToEventLoop } from './event-loop.ts';

function rowToRecord(row: ManagedObjectsTable): ManagedRecord {
  return {
    kind: oneOf(row.kind, MANAGED_KINDS, { table: 'managed_objects', column: 'kind' }),
    objectId: row.object_id,
    source: row.source,
    key: row.config_key,
  };
}

export async function listManagedObjects(
  db: Kysely<Database>,
  page?: ManagedPage,
): Promise<ManagedRecord[]> {
  let query = db
    .selectFrom('managed_objects')
    .selectAll()
    .orderBy('kind')
    .orderBy('source')
    .orderBy('config_key');
  const after = page?.after;
  if (after !== undefined)
    query = query.where((eb) =>
      eb(
        eb.refTuple('kind', 'source', 'config_key'),
        '>',
        eb.tuple(after.kind, after.source, after.key),
      ),
    );
  if (page !== undefined) query = query.limit(page.limit);
  return (await query.execute()).map(rowToRecord);
}

export async function getManagedObject(
  db: Kysely<Database>,
  kind: ManagedKind,
  objectId: string,
): Promise<ManagedRecord | undefined> {
  const row = await db
    .selectFrom('managed_objects')
    .selectAll()
    .where('kind', '=', kind)
    .where('object_id', '=', objectId)
    .executeTakeFirst();
  return row === undefined ? undefined : rowToRecord(row);
}

/**
 * The records of one kind for a set of objects, named by id or (alert targets, whose view has
 * no id) by file key: one statement per 5,000 values, so a list page costs one read, not one
 * per row.
 */
export async function getManagedObjects(
  db: Kysely<Database>,
  kind: ManagedKind,
  match: ManagedMatch,
): Promise<ManagedRecord[]> {
  const column = 'objectIds' in match ? 'object_id' : 'config_key';
  const values = 'objectIds' in match ? match.objectIds : match.keys;
  const records: ManagedRecord[] = [];
  for (const chunk of chunked([...new Set(values)], IN_LIST_CHUNK)) {
    const rows = await db
      .selectFrom('managed_objects')
      .selectAll()
      .where('kind', '=', kind)
      .where(column, 'in', chunk)
      .execute();
    records.push(...rows.map(rowToRecord));
  }
  return records;
}

/** Deletes one object by id with its managed record; false when there was none. */
type DeleteObject = (db: Kysely<Database>, id: string) => Promise<boolean>;

/** Targets are deleted by name (the key everything routes by); an apply names them by id. */
async function deleteTargetById(db: Kysely<Database>, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('alert_targets')
    .select('name')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined && deleteTarget(db, row.name);
}

/** Each kind's deletes in a change and how one is deleted; a kind missing here fails type-checking. */
const REMOVALS: Record<
  ManagedKind,
  { ids: (change: ConfigChange) => readonly string[]; remove: DeleteObject }
> = {
  'alert-target': { ids: (change) => change.deleteAlertTargets, remove: deleteTargetById },
  'alert-rule': { ids: (change) => change.deleteAlertRules, remove: deleteRule },
  monitor: { ids: (change) => change.deleteMonitors, remove: deleteMonitor },
  maintenance: { ids: (change) => change.deleteMaintenance, remove: deleteWindow },
  'status-page': { ids: (change) => change.deleteStatusPages, remove: deletePage },
};

/**
 * Deletes what the change removes, kind by kind in the reverse of `MANAGED_KINDS`, so an object
 * goes before anything it references (a page before its monitors, a monitor before its targets).
 */
async function deleteRemovedObjects(db: Kysely<Database>, change: ConfigChange): Promise<void> {
  for (const kind of MANAGED_KINDS.toReversed()) {
    const { ids, remove } = REMOVALS[kind];
    for (const id of ids(change)) await remove(db, id);
  }
}

/** A whole apply; call inside one transaction (the store's config write). */
export async function applyConfigChange(
  db: Kysely<Database>,
  change: ConfigChange,
  insertRows: MonitorRowInserter,
): Promise<void> {
  await deleteRemovedObjects(db, change);
  for (const { op, target } of change.alertTargets)
    await (op === 'insert' ? insertTargetIn(db, target) : replaceTarget(db, target));
  for (const { op, rule } of change.alertRules) await saveRuleIn(db, op, rule);
  await saveMonitors(db, change.monitors, insertRows);
  for (const { op, window } of change.maintenance) await saveWindowIn(db, op, window);
  for (const { op, page } of change.statusPages) await savePageIn(db, op, page);
  await recordManagedObjects(db, change.managed);
}

/**
 * Records which file manages each object, replacing any record of the same object and any of
 * the same file key. In set-based statements: one apply of 100,000 monitors was 300,000
 * single-row statements here. Records name each object and each key once (a file's keys are
 * unique), so deleting all before inserting all gives what one-by-one replacing gave.
 */
async function recordManagedObjects(
  db: Kysely<Database>,
  records: readonly ManagedRecord[],
): Promise<void> {
  for (const [kind, ofKind] of Map.groupBy(records, (r) => r.kind)) {
    for (const ids of chunked(
      ofKind.map((r) => r.objectId),
      IN_LIST_CHUNK,
    ))
      await db
        .deleteFrom('managed_objects')
        .where('kind', '=', kind)
        .where('object_id', 'in', ids)
        .execute();
    for (const [source, ofSource] of Map.groupBy(ofKind, (r) => r.source))
      for (const keys of chunked(
        ofSource.map((r) => r.key),
        IN_LIST_CHUNK,
      )) {
        await db
          .deleteFrom('managed_objects')
          .where('kind', '=', kind)
          .where('source', '=', source)
          .where('config_key', 'in', keys)
          .execute();
        await yieldToEventLoop();
      }
  }
  const rows = records.map((r) => ({
    kind: r.kind,
    object_id: r.objectId,
    source: r.source,
    config_key: r.key,
  }));
  for (const chunk of insertChunks(rows)) {
    await db.insertInto('managed_objects').values(chunk).execute();
    // An apply of 100,000 monitors writes as many records: timers and sockets run between.
    await yieldToEventLoop();
  }
}
