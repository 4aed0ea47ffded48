import type { BatchCommittedBody, AlertDecisionFact } from '../cluster/bus/messages.ts';
import type { ClusterBus } from '../cluster/bus/types.ts';
import type { MonitorChange, MonitorChangeSink } from '../domain/monitor-change.ts';
import type { MembershipState } from '../domain/node.ts';
import type { AlertDecisionEvent, PostedUpdateFacts } from '../services/events/event-sources.ts';
import { alertDecision, alertDecisionEvent } from '../services/events/event-sources.ts';
import type { AlertDeliveryUpdate, AlertFacts, CommittedBatchFacts } from '../store/types.ts';

/** Longest reason a message carries (a provider's error can be long); the schema's bound. */
const REASON_LIMIT = 1_000;

/**
 * Tells the other coordinators what this one's live views were just told: the lead calls it
 * from the same places that feed `events.sources`. Batches, node transitions and alert
 * decisions come from the leader plane; incident updates and maintenance changes from any
 * coordinator's API.
 */
export interface LeaderPublisher {
  batchCommitted(batch: CommittedBatchFacts): void;
  nodeTransition(transition: {
    nodeId: string;
    from: MembershipState;
    to: MembershipState;
    at: number;
  }): void;
  alertDecided(delivery: AlertFacts, update: AlertDeliveryUpdate, at: number): void;
  incidentUpdatePosted(update: PostedUpdateFacts, monitorId: string): void;
  maintenanceChanged(): void;
  /** Alert targets or rules were written here: the others re-read their routing. */
  alertingChanged(): void;
  /** A push monitor's ping was recorded here: the leader judges it. */
  pushPinged(monitorId: string): void;
}

export function createLeaderPublisher(bus: ClusterBus): LeaderPublisher {
  return {
    batchCommitted(batch) {
      bus.publish(batchBody(batch));
    },
    nodeTransition(transition) {
      bus.publish({ type: 'node-transition', ...transition });
    },
    alertDecided(delivery, update, at) {
      const decision = alertDecision(delivery, update, at);
      if (decision !== null)
        bus.publish({ type: 'alert-decided', decision: decisionFact(decision) });
    },
    incidentUpdatePosted(update, monitorId) {
      const { id, incidentId, status, createdAt } = update;
      bus.publish({
        type: 'incident-update-posted',
        monitorId,
        update: { id, incidentId, status, public: update.public, createdAt },
      });
    },
    maintenanceChanged() {
      bus.publish({ type: 'maintenance-changed' });
    },
    alertingChanged() {
      bus.publish({ type: 'alerting-changed' });
    },
    pushPinged(monitorId) {
      bus.publish({ type: 'push-pinged', monitorId });
    },
  };
}

/**
 * The node's change sink, also telling the other coordinators: each reloads the monitors from
 * the store (ids only travel: a monitor's options can hold secrets). Changes a coordinator
 * applies because the bus told it go to the inner sink, never back onto the bus.
 */
export function publishingChangeSink(inner: MonitorChangeSink, bus: ClusterBus): MonitorChangeSink {
  return {
    publish(change) {
      inner.publish(change);
      bus.publish(monitorChangedBody([change]));
    },
    publishAll(changes) {
      inner.publishAll(changes);
      if (changes.length > 0) bus.publish(monitorChangedBody(changes));
    },
  };
}

/** What the others need of changes: the ids upserted and removed, in order of last change. */
export function monitorChangedBody(changes: readonly MonitorChange[]): {
  type: 'monitor-changed';
  upserted: string[];
  removed: string[];
} {
  const last = new Map<string, 'upserted' | 'removed'>();
  for (const change of changes) {
    const id = change.type === 'removed' ? change.id : change.monitor.id;
    last.delete(id);
    last.set(id, change.type);
  }
  const upserted: string[] = [];
  const removed: string[] = [];
  for (const [id, type] of last) (type === 'removed' ? removed : upserted).push(id);
  return { type: 'monitor-changed', upserted, removed };
}

/** A committed batch as ids and small facts (see `BatchCommittedBody`). */
export function batchBody(batch: CommittedBatchFacts): BatchCommittedBody {
  return {
    type: 'batch-committed',
    results: batch.results.map((r) => [
      r.id,
      r.monitorId,
      r.nodeId,
      r.status,
      r.latencyMs,
      r.checkedAt,
    ]),
    states: batch.states.map((state) => state.monitorId),
    incidentsOpened: batch.incidentsOpened.map((incident) => incident.id),
    incidentsUpdated: (batch.incidentsUpdated ?? []).map(({ id, verdict, regions, at }) => ({
      id,
      verdict,
      regions,
      at,
    })),
    incidentsResolved: batch.incidentsResolved.map(({ id, resolvedAt }) => ({ id, resolvedAt })),
    incidentsRetracted: (batch.incidentsRetracted ?? []).map(({ id, retractedAt }) => ({
      id,
      retractedAt,
    })),
    suppressed: batch.alerts
      .filter((alert) => alert.status === 'suppressed')
      .map((alert) =>
        decisionFact(alertDecisionEvent(alert, 'suppressed', alert.reason, alert.createdAt)),
      ),
  };
}

function decisionFact(event: AlertDecisionEvent): AlertDecisionFact {
  const { type: _type, reason, ...fact } = event;
  return { ...fact, reason: reason === null ? null : reason.slice(0, REASON_LIMIT) };
}
