import type { AlertDelivery } from '../domain/alert.ts';
import type { AlertTarget } from '../domain/alert-target.ts';
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

/**
 * Where a delivery goes now: a target's current channel and settings (so a fixed token reaches
 * retries), or the inline route stored with it; an error when its target no longer exists.
 */
export function destinationOf(
  delivery: AlertDelivery,
  targets: ((name: string) => AlertTarget | undefined) | undefined,
): { channel: string; settings: unknown } | { error: string } {
  if (delivery.target === null) return { channel: delivery.channel, settings: delivery.settings };
  const target = targets?.(delivery.target);
  if (target === undefined) return { error: `alert target "${delivery.target}" no longer exists` };
  return { channel: target.type, settings: target.settings };
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
