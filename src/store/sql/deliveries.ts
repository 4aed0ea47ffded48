import type { Kysely } from 'kysely';
import type { AlertDelivery } from '../../domain/alert.ts';
import { notFound } from '../../lib/errors.ts';
import type { AlertDeliveryUpdate, DueDelivery } from '../types.ts';
import { insertChunks } from './chunks.ts';
import { oneOf } from './json-column.ts';
import { DELIVERY_STATUSES, deliveryToRow, rowToDelivery } from './rows.ts';
import type { Database } from './schema.ts';

/** Inserts deliveries; a replay with the same delivery key inserts nothing. */
export async function insertDeliveries(
  db: Kysely<Database>,
  deliveries: readonly AlertDelivery[],
): Promise<void> {
  for (const rows of insertChunks(deliveries.map(deliveryToRow))) {
    await db
      .insertInto('alert_deliveries')
      .values(rows)
      .onConflict((oc) => oc.column('delivery_key').doNothing())
      .execute();
  }
}

/**
 * Pending deliveries whose next attempt is due, earliest due first, each with the status of the
 * opening it follows. A closing alert whose opening is still pending is not due yet: it must
 * never reach a route before the page it closes.
 */
export async function dueDeliveries(
  db: Kysely<Database>,
  now: number,
  limit: number,
): Promise<DueDelivery[]> {
  const rows = await db
    .selectFrom('alert_deliveries as d')
    .leftJoin('alert_deliveries as o', 'o.id', 'd.follows_id')
    .selectAll('d')
    .select('o.status as follows_status')
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where((eb) =>
      eb.or([
        eb('d.follows_id', 'is', null),
        eb('o.id', 'is', null),
        eb('o.status', '<>', 'pending'),
      ]),
    )
    .orderBy('d.next_attempt_at')
    .orderBy('d.created_at')
    .orderBy('d.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    ...rowToDelivery(row),
    followsStatus:
      row.follows_status === null ? null : oneOf(row.follows_status, DELIVERY_STATUSES, FOLLOWS),
  }));
}

const FOLLOWS = { table: 'alert_deliveries', column: 'status' };

/** Records the outcome of a send attempt; NOT_FOUND when the delivery is gone. */
export async function updateDelivery(
  db: Kysely<Database>,
  id: string,
  update: AlertDeliveryUpdate,
): Promise<void> {
  const result = await db
    .updateTable('alert_deliveries')
    .set({
      status: update.status,
      attempts: update.attempts,
      next_attempt_at: update.nextAttemptAt,
      last_error: update.lastError,
      sent_at: update.sentAt,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('alert delivery', id);
}

/** Deliveries, newest first. */
export async function listDeliveries(
  db: Kysely<Database>,
  filter: { monitorId?: string; limit?: number } = {},
): Promise<AlertDelivery[]> {
  let query = db
    .selectFrom('alert_deliveries')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id');
  if (filter.monitorId !== undefined) query = query.where('monitor_id', '=', filter.monitorId);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(rowToDelivery);
}
