import type { Insertable, Kysely, Selectable } from 'kysely';
import type { MaintenanceWindow } from '../../domain/maintenance.ts';
import { maintenanceScheduleSchema, maintenanceScopeSchema } from '../../domain/maintenance.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { corrupt, parseJson } from './json-column.ts';
import type { Database, MaintenanceWindowsTable } from './schema.ts';

function windowToRow(w: MaintenanceWindow): Insertable<MaintenanceWindowsTable> {
  return {
    id: w.id,
    name: w.name,
    scope: JSON.stringify(w.scope),
    schedule: JSON.stringify(w.schedule),
    reason: w.reason,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}

/** Scope and schedule are read through their schemas: a corrupt row fails naming its column. */
function rowToWindow(row: Selectable<MaintenanceWindowsTable>): MaintenanceWindow {
  const scopeAt = { table: 'maintenance_windows', column: 'scope' };
  const scheduleAt = { table: 'maintenance_windows', column: 'schedule' };
  const scope = maintenanceScopeSchema.safeParse(parseJson(row.scope, scopeAt));
  if (!scope.success) throw corrupt(scopeAt, scope.error.message);
  const schedule = maintenanceScheduleSchema.safeParse(parseJson(row.schedule, scheduleAt));
  if (!schedule.success) throw corrupt(scheduleAt, schedule.error.message);
  return {
    id: row.id,
    name: row.name,
    scope: scope.data,
    schedule: schedule.data,
    reason: row.reason,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export async function listWindows(db: Kysely<Database>): Promise<MaintenanceWindow[]> {
  const rows = await db.selectFrom('maintenance_windows').selectAll().orderBy('name').execute();
  return rows.map(rowToWindow);
}

export async function getWindow(
  db: Kysely<Database>,
  by: { id: string } | { name: string },
): Promise<MaintenanceWindow | undefined> {
  const query = db.selectFrom('maintenance_windows').selectAll();
  const row = await (
    'id' in by ? query.where('id', '=', by.id) : query.where('name', '=', by.name)
  ).executeTakeFirst();
  return row === undefined ? undefined : rowToWindow(row);
}

async function assertNameFree(db: Kysely<Database>, w: MaintenanceWindow): Promise<void> {
  const taken = await db
    .selectFrom('maintenance_windows')
    .select(['id', 'name'])
    .where((eb) => eb.or([eb('id', '=', w.id), eb('name', '=', w.name)]))
    .execute();
  const clash = taken.find((t) => t.name === w.name && t.id !== w.id);
  if (clash !== undefined)
    throw new AppError('CONFLICT', `a maintenance window named ${w.name} already exists`);
}

export async function insertWindow(db: Kysely<Database>, w: MaintenanceWindow): Promise<void> {
  await db.transaction().execute((trx) => saveWindowIn(trx, 'insert', w));
}

export async function updateWindow(db: Kysely<Database>, w: MaintenanceWindow): Promise<void> {
  await db.transaction().execute((trx) => saveWindowIn(trx, 'update', w));
}

/** Inserts or replaces a window; call inside a transaction. CONFLICT on a taken id or name. */
export async function saveWindowIn(
  db: Kysely<Database>,
  op: 'insert' | 'update',
  w: MaintenanceWindow,
): Promise<void> {
  await assertNameFree(db, w);
  if (op === 'insert') {
    const result = await db
      .insertInto('maintenance_windows')
      .values(windowToRow(w))
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0)
      throw new AppError('CONFLICT', `maintenance window ${w.id} already exists`);
    return;
  }
  const { id: _id, created_at: _created, ...fields } = windowToRow(w);
  const result = await db
    .updateTable('maintenance_windows')
    .set(fields)
    .where('id', '=', w.id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('maintenance window', w.id);
}

export async function deleteWindow(db: Kysely<Database>, id: string): Promise<boolean> {
  // A deleted window is no longer managed by a config file.
  await db
    .deleteFrom('managed_objects')
    .where('kind', '=', 'maintenance')
    .where('object_id', '=', id)
    .execute();
  const result = await db.deleteFrom('maintenance_windows').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
