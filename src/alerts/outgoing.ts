import type { DueDelivery } from '../store/types.ts';
import { alertDedupKey, alertStatus, renderAlertMessage } from './kit/message.ts';
import type { OutgoingAlert } from './types.ts';

/** A stored delivery as the alert its channel sends: rendered message and provider keys. */
export function outgoingAlert(delivery: DueDelivery, publicUrl: string | null): OutgoingAlert {
  return {
    event: delivery.event,
    message: renderAlertMessage(delivery.event, publicUrl),
    status: alertStatus(delivery.event),
    dedupKey: alertDedupKey(delivery.event),
    idempotencyKey: delivery.deliveryKey,
    openingRef: delivery.followsRef,
  };
}

/** A channel's own `timeoutMs` setting, when its settings have one. */
export function timeoutOf(settings: unknown): number | undefined {
  if (settings === null || typeof settings !== 'object') return undefined;
  const value = (settings as { timeoutMs?: unknown }).timeoutMs;
  return typeof value === 'number' ? value : undefined;
}

/** The class of an unexpected error, for logs: its message could echo a secret. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
