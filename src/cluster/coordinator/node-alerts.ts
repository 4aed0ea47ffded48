import type { AlertDelivery, NodeAlertEvent } from '../../domain/alert.ts';
import type { MaintenanceRef } from '../../domain/maintenance.ts';
import { MAINTENANCE_REASON } from '../../domain/maintenance.ts';
import type { AlertRoute } from '../../domain/monitor.ts';
import { EMPTY_ROUTING, nodeRoutes, type RoutingSnapshot } from '../../alerts/routing.ts';

/**
 * One pending delivery per node alert route that hears this event (membership or health);
 * while the node is in a maintenance window they are recorded suppressed (reason
 * `maintenance`) instead.
 */
export function nodeAlertDeliveries(
  event: NodeAlertEvent,
  routes: readonly AlertRoute[],
  now: number,
  newId: () => string,
  routing: RoutingSnapshot = EMPTY_ROUTING,
  maintenance: MaintenanceRef | null = null,
): AlertDelivery[] {
  const deliveries = nodeRoutes(routes, event.kind, routing).map((route): AlertDelivery => ({
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
  if (maintenance === null) return deliveries;
  return deliveries.map((d) => ({ ...d, status: 'suppressed', reason: MAINTENANCE_REASON }));
}
