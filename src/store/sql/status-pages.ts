import type { Insertable, Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { IncidentUpdate, StatusPage } from '../../domain/status-page.ts';
import { INCIDENT_UPDATE_STATUSES, statusPageGroupSchema } from '../../domain/status-page.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { chunked, IN_LIST_CHUNK } from './chunks.ts';
import { corrupt, oneOf, parseJson, parseStringArray } from './json-column.ts';
import type { Database, IncidentUpdatesTable, StatusPagesTable } from './schema.ts';

const groupsSchema = z.array(statusPageGroupSchema);

function pageToRow(p: StatusPage): Insertable<StatusPagesTable> {
  return {
    id: p.id,
    slug: p.slug,
    title: p.title,
    description: p.description,
    custom_domains: JSON.stringify(p.customDomains),
    groups: JSON.stringify(p.groups),
    show_regions: p.showRegions ? 1 : 0,
    show_details: p.showDetails ? 1 : 0,
    badge_monitor_ids: JSON.stringify(p.badgeMonitorIds),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

function rowToPage(row: Selectable<StatusPagesTable>): StatusPage {
  const at = (column: string) => ({ table: 'status_pages', column });
  const groups = groupsSchema.safeParse(parseJson(row.groups, at('groups')));
  if (!groups.success) throw corrupt(at('groups'), groups.error.message);
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    customDomains: parseStringArray(row.custom_domains, at('custom_domains')),
    groups: groups.data,
    showRegions: Number(row.show_regions) === 1,
    showDetails: Number(row.show_details) === 1,
    badgeMonitorIds: parseStringArray(row.badge_monitor_ids, at('badge_monitor_ids')),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Slugs and custom domains are unique across pages; pages are few, so they are read whole. */
async function assertFree(db: Kysely<Database>, page: StatusPage): Promise<void> {
  const others = (await db.selectFrom('status_pages').selectAll().execute())
    .map(rowToPage)
    .filter((p) => p.id !== page.id);
  if (others.some((p) => p.slug === page.slug))
    throw new AppError('CONFLICT', `a status page with slug "${page.slug}" already exists`);
  for (const domain of page.customDomains) {
    const owner = others.find((p) => p.customDomains.includes(domain));
    if (owner !== undefined)
      throw new AppError('CONFLICT', `domain ${domain} already serves status page "${owner.slug}"`);
  }
}

export async function insertPage(db: Kysely<Database>, page: StatusPage): Promise<void> {
  await db.transaction().execute((trx) => savePageIn(trx, 'insert', page));
}

export async function updatePage(db: Kysely<Database>, page: StatusPage): Promise<void> {
  await db.transaction().execute((trx) => savePageIn(trx, 'update', page));
}

/** Inserts or replaces a page; call inside a transaction. CONFLICT on a taken slug or domain. */
export async function savePageIn(
  db: Kysely<Database>,
  op: 'insert' | 'update',
  page: StatusPage,
): Promise<void> {
  await assertFree(db, page);
  if (op === 'insert') {
    const result = await db
      .insertInto('status_pages')
      .values(pageToRow(page))
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0)
      throw new AppError('CONFLICT', `status page ${page.id} already exists`);
    return;
  }
  const { id: _id, created_at: _created, ...fields } = pageToRow(page);
  const result = await db
    .updateTable('status_pages')
    .set(fields)
    .where('id', '=', page.id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('status page', page.id);
}

export async function getPage(
  db: Kysely<Database>,
  by: { id: string } | { slug: string },
): Promise<StatusPage | undefined> {
  const query = db.selectFrom('status_pages').selectAll();
  const row = await (
    'id' in by ? query.where('id', '=', by.id) : query.where('slug', '=', by.slug)
  ).executeTakeFirst();
  return row === undefined ? undefined : rowToPage(row);
}

export async function listPages(db: Kysely<Database>): Promise<StatusPage[]> {
  const rows = await db.selectFrom('status_pages').selectAll().orderBy('slug').execute();
  return rows.map(rowToPage);
}

export async function deletePage(db: Kysely<Database>, id: string): Promise<boolean> {
  // A deleted page is no longer managed by a config file.
  await db
    .deleteFrom('managed_objects')
    .where('kind', '=', 'status-page')
    .where('object_id', '=', id)
    .execute();
  const result = await db.deleteFrom('status_pages').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function rowToUpdate(row: Selectable<IncidentUpdatesTable>): IncidentUpdate {
  return {
    id: row.id,
    incidentId: row.incident_id,
    status: oneOf(row.status, INCIDENT_UPDATE_STATUSES, {
      table: 'incident_updates',
      column: 'status',
    }),
    message: row.message,
    public: Number(row.public) === 1,
    author: row.author,
    createdAt: Number(row.created_at),
  };
}

export async function insertUpdate(db: Kysely<Database>, update: IncidentUpdate): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const incident = await trx
      .selectFrom('incidents')
      .select('id')
      .where('id', '=', update.incidentId)
      .executeTakeFirst();
    if (incident === undefined) throw notFound('incident', update.incidentId);
    const result = await trx
      .insertInto('incident_updates')
      .values({
        id: update.id,
        incident_id: update.incidentId,
        status: update.status,
        message: update.message,
        public: update.public ? 1 : 0,
        author: update.author,
        created_at: update.createdAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0)
      throw new AppError('CONFLICT', `incident update ${update.id} already exists`);
  });
}

export async function listUpdates(
  db: Kysely<Database>,
  incidentIds: readonly string[],
  publicOnly: boolean,
): Promise<IncidentUpdate[]> {
  const updates: IncidentUpdate[] = [];
  for (const chunk of chunked([...new Set(incidentIds)], IN_LIST_CHUNK)) {
    let query = db.selectFrom('incident_updates').selectAll().where('incident_id', 'in', chunk);
    if (publicOnly) query = query.where('public', '=', 1);
    updates.push(...(await query.execute()).map(rowToUpdate));
  }
  return updates.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}
