import type { AlertDelivery, NodeAlertEvent } from '../../domain/alert.ts';
import type { AlertRoute } from '../../domain/monitor.ts';

/** One pending delivery per node alert route for a node event (membership or health). */
export function nodeAlertDeliveries(
  event: NodeAlertEvent,
  routes: readonly AlertRoute[],
  now: number,
  newId: () => string,
): AlertDelivery[] {
  return routes.map((route, index) => ({
    id: newId(),
    deliveryKey: `${event.idempotencyKey}:${index}`,
    monitorId: null,
    incidentId: null,
    nodeId: event.node.id,
    followsId: null,
    target: null,
    channel: route.channel,
    settings: route.settings,
    event,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    // Node alerts have no policy gate: the transition itself is the reason they go out.
    reason: event.kind,
    lastError: null,
    providerRef: null,
    createdAt: now,
    sentAt: null,
  }));
}
