import type { AlertDelivery, NodeAlertEvent } from '../../domain/alert.ts';
import type { AlertRoute } from '../../domain/monitor.ts';
import { EMPTY_ROUTING, nodeRoutes, type RoutingSnapshot } from '../../alerts/routing.ts';

/** One pending delivery per node alert route that hears this event (membership or health). */
export function nodeAlertDeliveries(
  event: NodeAlertEvent,
  routes: readonly AlertRoute[],
  now: number,
  newId: () => string,
  routing: RoutingSnapshot = EMPTY_ROUTING,
): AlertDelivery[] {
  return nodeRoutes(routes, event.kind, routing).map((route) => ({
    id: newId(),
    deliveryKey: `${event.idempotencyKey}:${route.key}`,
    monitorId: null,
    incidentId: null,
    nodeId: event.node.id,
    followsId: null,
    target: route.target,
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
