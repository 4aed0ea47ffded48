import type { AlertAttempt, AlertDelivery, AlertEvent } from '../../domain/alert.ts';
import type { AlertDeliveryUpdate, DueDelivery } from '../../store/types.ts';
import { notFound } from '../../lib/errors.ts';
import type { DeliveryStore } from '../dispatcher.ts';

/**
 * The dispatcher's two store methods over a Map, for tests: same semantics as the real store
 * (pending and due, oldest due first, copies out so callers cannot mutate stored rows).
 */
export class MemoryDeliveryStore implements DeliveryStore {
  private readonly rows = new Map<string, AlertDelivery>();
  /** Every update applied, in order, for assertions about what was recorded. */
  readonly updates: { id: string; update: AlertDeliveryUpdate; attempt?: AlertAttempt }[] = [];

  add(...deliveries: AlertDelivery[]): void {
    for (const delivery of deliveries) this.rows.set(delivery.id, structuredClone(delivery));
  }

  get(id: string): AlertDelivery | undefined {
    const row = this.rows.get(id);
    return row === undefined ? undefined : structuredClone(row);
  }

  /** The attempts recorded for one delivery, in order. */
  attemptsOf(id: string): AlertAttempt[] {
    return this.updates.flatMap((u) => (u.id === id && u.attempt !== undefined ? [u.attempt] : []));
  }

  dueAlertDeliveries(now: number, limit: number): Promise<DueDelivery[]> {
    const followed = (row: AlertDelivery) =>
      row.followsId === null ? null : (this.rows.get(row.followsId)?.status ?? null);
    const due = [...this.rows.values()]
      .filter((row) => row.status === 'pending' && row.nextAttemptAt <= now)
      .filter((row) => followed(row) !== 'pending')
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt)
      .slice(0, limit);
    return Promise.resolve(
      due.map((row) => ({
        ...structuredClone(row),
        followsStatus: followed(row),
        followsRef:
          row.followsId === null ? null : (this.rows.get(row.followsId)?.providerRef ?? null),
      })),
    );
  }

  updateAlertDelivery(
    id: string,
    update: AlertDeliveryUpdate,
    attempt?: AlertAttempt,
  ): Promise<void> {
    const row = this.rows.get(id);
    if (row === undefined) return Promise.reject(notFound('alert delivery', id));
    this.rows.set(id, { ...row, ...update });
    this.updates.push({
      id,
      update: { ...update },
      ...(attempt === undefined ? {} : { attempt: { ...attempt } }),
    });
    return Promise.resolve();
  }
}

/** A pending delivery due at `now`, with a plausible event; override any field. */
export function pendingDelivery(
  id: string,
  now: number,
  overrides: Partial<AlertDelivery> = {},
): AlertDelivery {
  const event: AlertEvent = {
    kind: 'down',
    idempotencyKey: `mon-1:inc-1:down`,
    monitor: {
      id: 'mon-1',
      name: 'API',
      type: 'http',
      target: 'http://127.0.0.1/',
      group: null,
      tags: [],
    },
    incident: {
      id: 'inc-1',
      startedAt: now - 60_000,
      endedAt: null,
      durationMs: null,
      cause: 'HTTP 503',
    },
    verdict: 'down',
    regions: [],
    evidence: [],
    message: 'HTTP 503',
    occurredAt: now,
  };
  return {
    id,
    deliveryKey: `${event.idempotencyKey}:${id}`,
    monitorId: 'mon-1',
    incidentId: 'inc-1',
    nodeId: null,
    followsId: null,
    target: null,
    channel: 'webhook',
    settings: {},
    event,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    reason: null,
    lastError: null,
    providerRef: null,
    createdAt: now,
    sentAt: null,
    ...overrides,
  };
}
