import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AlertAttempt, AlertAttemptOutcome, AlertDelivery } from '../../domain/alert.ts';
import { notFound } from '../../lib/errors.ts';
import type { AlertDeliveryFilter, AlertDeliveryUpdate, DueDelivery } from '../types.ts';
import { chunked, IN_LIST_CHUNK, insertChunks } from './chunks.ts';
import { oneOf } from './json-column.ts';
import { DELIVERY_STATUSES, deliveryToRow, rowToDelivery } from './delivery-rows.ts';
import type { AlertAttemptsTable, Database } from './schema.ts';

const ATTEMPT_OUTCOMES: readonly AlertAttemptOutcome[] = ['sent', 'retry', 'failed'];

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
 * opening it follows. A closing alert whose opening is still pending (or held) is not due yet: it must
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
    .select(['o.status as follows_status', 'o.provider_ref as follows_ref'])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where((eb) =>
      eb.or([
        eb('d.follows_id', 'is', null),
        eb('o.id', 'is', null),
        eb('o.status', 'not in', ['pending', 'held']),
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
    followsRef: row.follows_ref,
  }));
}

const FOLLOWS = { table: 'alert_deliveries', column: 'status' };

/**
 * Records the delivery's state and, after a send, that attempt, in the caller's transaction;
 * NOT_FOUND when the delivery is gone.
 */
export async function updateDelivery(
  trx: Transaction<Database>,
  id: string,
  update: AlertDeliveryUpdate,
  attempt?: AlertAttempt,
): Promise<void> {
  const result = await trx
    .updateTable('alert_deliveries')
    .set({
      status: update.status,
      attempts: update.attempts,
      next_attempt_at: update.nextAttemptAt,
      last_error: update.lastError,
      sent_at: update.sentAt,
      ...(update.providerRef === undefined ? {} : { provider_ref: update.providerRef }),
      ...(update.reason === undefined ? {} : { reason: update.reason }),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('alert delivery', id);
  if (attempt === undefined) return;
  const row = attemptToRow(id, attempt);
  await trx
    .insertInto('alert_attempts')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['delivery_id', 'attempt']).doUpdateSet({
        at: row.at,
        outcome: row.outcome,
        error: row.error,
        http_status: row.http_status,
      }),
    )
    .execute();
}

/** Deliveries, newest first, by monitor, incident and creation time. */
export async function listDeliveries(
  db: Kysely<Database>,
  filter: AlertDeliveryFilter = {},
): Promise<AlertDelivery[]> {
  let query = db
    .selectFrom('alert_deliveries')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id');
  if (filter.monitorId !== undefined) query = query.where('monitor_id', '=', filter.monitorId);
  if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
  if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
  const { after } = filter;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
      ]),
    );
  }
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(rowToDelivery);
}

/** Attempts of each delivery, oldest first; every id asked for gets a list. */
export async function listAttempts(
  db: Kysely<Database>,
  deliveryIds: readonly string[],
): Promise<Map<string, AlertAttempt[]>> {
  const byDelivery = new Map<string, AlertAttempt[]>(deliveryIds.map((id) => [id, []]));
  for (const ids of chunked([...byDelivery.keys()], IN_LIST_CHUNK)) {
    const rows = await db
      .selectFrom('alert_attempts')
      .selectAll()
      .where('delivery_id', 'in', ids)
      .orderBy('delivery_id')
      .orderBy('attempt')
      .execute();
    for (const row of rows) byDelivery.get(row.delivery_id)?.push(rowToAttempt(row));
  }
  return byDelivery;
}

/**
 * Before a monitor is deleted: its deliveries not sent yet will never be, and the log says why
 * rather than losing them.
 */
export async function suppressPendingOfMonitor(
  db: Kysely<Database>,
  monitorId: string,
): Promise<void> {
  await db
    .updateTable('alert_deliveries')
    .set({ status: 'suppressed', reason: 'monitor-deleted' })
    .where('monitor_id', '=', monitorId)
    .where('status', '=', 'pending')
    .execute();
}

function attemptToRow(deliveryId: string, attempt: AlertAttempt): AlertAttemptsTable {
  return {
    delivery_id: deliveryId,
    attempt: attempt.attempt,
    at: attempt.at,
    outcome: attempt.outcome,
    error: attempt.error,
    http_status: attempt.httpStatus,
  };
}

function rowToAttempt(row: Selectable<AlertAttemptsTable>): AlertAttempt {
  return {
    attempt: row.attempt,
    at: row.at,
    outcome: oneOf(row.outcome, ATTEMPT_OUTCOMES, { table: 'alert_attempts', column: 'outcome' }),
    error: row.error,
    httpStatus: row.http_status,
  };
}
