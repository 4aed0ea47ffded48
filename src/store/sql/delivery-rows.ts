import type { Insertable, Selectable } from 'kysely';
import type { AlertDelivery, AlertDeliveryStatus, AlertEvent } from '../../domain/alert.ts';
import { MONITOR_ALERT_KINDS } from '../../domain/alert.ts';
import type { ColumnRef } from './json-column.ts';
import { corrupt, isRecord, oneOf, parseJsonObject } from './json-column.ts';
import type { AlertDeliveriesTable } from './schema.ts';

// Alert deliveries ↔ rows: settings and event as JSON, every column checked on the way back.

const NODE_ALERT_KINDS = ['node-missing', 'node-online', 'node-impaired', 'node-healthy'];
export const DELIVERY_STATUSES: readonly AlertDeliveryStatus[] = [
  'pending',
  'held',
  'sent',
  'failed',
  'suppressed',
];

const col = (table: string, column: string): ColumnRef => ({ table, column });

/** Alert delivery → row; settings and event serialised. */
export function deliveryToRow(d: AlertDelivery): Insertable<AlertDeliveriesTable> {
  return {
    id: d.id,
    delivery_key: d.deliveryKey,
    monitor_id: d.monitorId,
    incident_id: d.incidentId,
    node_id: d.nodeId,
    channel: d.channel,
    settings: JSON.stringify(d.settings),
    event: JSON.stringify(d.event),
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt,
    reason: d.reason,
    last_error: d.lastError,
    created_at: d.createdAt,
    sent_at: d.sentAt,
    kind: d.event.kind,
    follows_id: d.followsId,
    target: d.target,
    provider_ref: d.providerRef,
  };
}

/** Row → alert delivery; throws AppError('INTERNAL') naming the column on corrupt JSON. */
export function rowToDelivery(row: Selectable<AlertDeliveriesTable>): AlertDelivery {
  return {
    id: row.id,
    deliveryKey: row.delivery_key,
    monitorId: row.monitor_id,
    incidentId: row.incident_id,
    nodeId: row.node_id,
    channel: row.channel,
    settings: parseJsonObject(row.settings, col('alert_deliveries', 'settings')),
    event: parseAlertEvent(row.event),
    status: oneOf(row.status, DELIVERY_STATUSES, col('alert_deliveries', 'status')),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    reason: row.reason,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    followsId: row.follows_id,
    target: row.target,
    providerRef: row.provider_ref,
  };
}

function parseAlertEvent(text: string): AlertEvent {
  const where = col('alert_deliveries', 'event');
  const event = parseJsonObject(text, where);
  const kind = event['kind'];
  const common =
    typeof kind === 'string' &&
    typeof event['idempotencyKey'] === 'string' &&
    typeof event['message'] === 'string' &&
    typeof event['occurredAt'] === 'number';
  const monitorShape =
    (MONITOR_ALERT_KINDS as readonly unknown[]).includes(kind) &&
    isRecord(event['monitor']) &&
    (event['incident'] === null || isRecord(event['incident']));
  const nodeShape = NODE_ALERT_KINDS.includes(kind as string) && isRecord(event['node']);
  if (!common || !(monitorShape || nodeShape)) throw corrupt(where, 'not an alert event');
  if (monitorShape) {
    // Events stored before quorum consensus (migration 0004) lack these; they were all
    // confirmed "down" everywhere, with no votes on record.
    event['verdict'] ??= 'down';
    event['regions'] ??= [];
    event['evidence'] ??= [];
  }
  // The checks above cover the fields every reader relies on; the nested objects were
  // written by `deliveryToRow` from a typed AlertEvent.
  return event as unknown as AlertEvent;
}
