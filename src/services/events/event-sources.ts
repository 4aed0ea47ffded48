import type { AlertDelivery } from '../../domain/alert.ts';
import type { IncidentVerdict, Verdict } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { MonitorRuntimeState, MonitorStatus } from '../../domain/monitor-state.ts';
import type { MembershipState } from '../../domain/node.ts';
import type { IncidentUpdate } from '../../domain/status-page.ts';
import type { AlertDeliveryUpdate, AlertFacts, CommittedBatchFacts } from '../../store/types.ts';
import type { MonitorChange } from '../events.ts';
import type { CrosscheckEvent, EventSink } from './event-types.ts';

/** An `alert.decision` event: what a decided delivery announces. */
export type AlertDecisionEvent = Extract<CrosscheckEvent, { type: 'alert.decision' }>;

/** What an `incident.update.posted` event names of an update (not its text). */
export type PostedUpdateFacts = Pick<
  IncidentUpdate,
  'id' | 'incidentId' | 'status' | 'public' | 'createdAt'
>;

/**
 * Turns what the coordinator's I/O edges already report (a committed ingest batch, a monitor
 * change, a membership transition, an alert outcome) into events. Each call publishes once, after
 * the fact is durable, so a subscriber never sees something the store does not hold.
 */
export interface EventSources {
  /** The ingestor committed a batch: results, state changes, incidents, suppressed alerts. */
  batchCommitted(batch: CommittedBatchFacts, now: number): void;
  monitorChanged(change: MonitorChange, now: number): void;
  nodeTransition(transition: {
    nodeId: string;
    from: MembershipState;
    to: MembershipState;
    at: number;
  }): void;
  /** Someone posted an update or a note on an incident of this monitor. */
  incidentUpdatePosted(update: PostedUpdateFacts, monitorId: string): void;
  /** The dispatcher recorded a delivery's final state (pending retries are not decisions). */
  alertDecided(delivery: AlertDelivery, update: AlertDeliveryUpdate, at: number): void;
  /** Another coordinator's dispatcher decided (`alertDecision` made the event there). */
  alertRelayed(decision: AlertDecisionEvent): void;
}

export interface EventSourcesDeps {
  sink: EventSink;
  /** The monitors at start: their groups (events carry them for the group filter). */
  monitors: Iterable<Monitor>;
  /** The persisted runtime states at start: statuses to diff and incidents that are open. */
  states: Iterable<MonitorRuntimeState>;
}

interface OpenIncident {
  monitorId: string;
  verdict: IncidentVerdict;
  regions: string[];
}

/** Builds the translator; it keeps only what it needs to name before/after (per monitor, per open incident). */
export function createEventSources(deps: EventSourcesDeps): EventSources {
  const groups = new Map<string, string | null>();
  const statuses = new Map<string, Exclude<MonitorStatus, 'paused'>>();
  // A verdict can change while the status stays (up with a `local` round): a dashboard row shows it.
  const verdicts = new Map<string, Verdict | null>();
  // A resolved incident is named by id only in the batch; its monitor comes from here.
  const incidents = new Map<string, OpenIncident>();
  for (const monitor of deps.monitors) groups.set(monitor.id, monitor.group);
  for (const state of deps.states) trackState(state);

  function trackState(state: MonitorRuntimeState): void {
    statuses.set(state.monitorId, state.status);
    verdicts.set(state.monitorId, state.verdict);
    const open = state.openIncident;
    if (open !== null)
      incidents.set(open.id, {
        monitorId: state.monitorId,
        verdict: open.verdict,
        regions: open.regions,
      });
  }

  const groupOf = (monitorId: string) => groups.get(monitorId) ?? null;

  function incidentEvents(batch: CommittedBatchFacts): CrosscheckEvent[] {
    const events: CrosscheckEvent[] = [];
    for (const incident of batch.incidentsOpened) {
      const open = {
        monitorId: incident.monitorId,
        verdict: incident.verdict,
        regions: incident.regions,
      };
      incidents.set(incident.id, open);
      events.push({
        type: 'incident.opened',
        ...open,
        group: groupOf(open.monitorId),
        incidentId: incident.id,
        at: incident.openedAt,
      });
    }
    for (const update of batch.incidentsUpdated ?? []) {
      const open = incidents.get(update.id);
      if (open === undefined) continue;
      Object.assign(open, { verdict: update.verdict, regions: update.regions });
      events.push({
        type: 'incident.updated',
        ...open,
        group: groupOf(open.monitorId),
        incidentId: update.id,
        at: update.at,
      });
    }
    const closed = [
      ...batch.incidentsResolved.map((r) => ({
        id: r.id,
        at: r.resolvedAt,
        outcome: 'recovered' as const,
      })),
      ...(batch.incidentsRetracted ?? []).map((r) => ({
        id: r.id,
        at: r.retractedAt,
        outcome: 'retracted' as const,
      })),
    ];
    for (const { id, at, outcome } of closed) {
      const open = incidents.get(id);
      if (open === undefined) continue;
      incidents.delete(id);
      events.push({
        type: 'incident.resolved',
        ...open,
        group: groupOf(open.monitorId),
        incidentId: id,
        at,
        outcome,
      });
    }
    return events;
  }

  function stateEvents(batch: CommittedBatchFacts, now: number): CrosscheckEvent[] {
    const events: CrosscheckEvent[] = [];
    for (const state of batch.states) {
      const from = statuses.get(state.monitorId) ?? 'pending';
      const unchanged =
        from === state.status && (verdicts.get(state.monitorId) ?? null) === state.verdict;
      // A deleted monitor's last batch may still carry its state: it no longer exists.
      if (groups.has(state.monitorId)) trackState(state);
      if (unchanged || !groups.has(state.monitorId)) continue;
      events.push({
        type: 'monitor.state',
        monitorId: state.monitorId,
        group: groupOf(state.monitorId),
        from,
        to: state.status,
        verdict: state.verdict,
        // A verdict-only change happened when the round decided, not when the status began.
        at: (from === state.status ? state.verdictAt : state.statusSince) ?? now,
      });
    }
    return events;
  }

  return {
    batchCommitted(batch, now) {
      const events: CrosscheckEvent[] = batch.results.map((r) => ({
        type: 'result',
        monitorId: r.monitorId,
        group: groupOf(r.monitorId),
        resultId: r.id,
        nodeId: r.nodeId,
        status: r.status,
        latencyMs: r.latencyMs,
        at: r.checkedAt,
      }));
      events.push(...incidentEvents(batch), ...stateEvents(batch, now));
      for (const alert of batch.alerts) {
        if (alert.status === 'suppressed')
          events.push(alertDecisionEvent(alert, 'suppressed', alert.reason, alert.createdAt));
      }
      if (events.length > 0) deps.sink.publish(events);
    },
    monitorChanged(change, now) {
      if (change.type === 'removed') {
        const group = groupOf(change.id);
        groups.delete(change.id);
        statuses.delete(change.id);
        verdicts.delete(change.id);
        deps.sink.publish([
          { type: 'monitor.changed', monitorId: change.id, group, change: 'deleted', at: now },
        ]);
        return;
      }
      const { monitor } = change;
      const created = !groups.has(monitor.id);
      groups.set(monitor.id, monitor.group);
      deps.sink.publish([
        {
          type: 'monitor.changed',
          monitorId: monitor.id,
          group: monitor.group,
          change: created ? 'created' : 'updated',
          at: monitor.updatedAt,
        },
      ]);
    },
    nodeTransition(t) {
      deps.sink.publish([
        { type: 'node.state', nodeId: t.nodeId, from: t.from, to: t.to, at: t.at },
      ]);
    },
    incidentUpdatePosted(update, monitorId) {
      deps.sink.publish([
        {
          type: 'incident.update.posted',
          monitorId,
          group: groupOf(monitorId),
          incidentId: update.incidentId,
          updateId: update.id,
          status: update.status,
          public: update.public,
          at: update.createdAt,
        },
      ]);
    },
    alertDecided(delivery, update, at) {
      const decision = alertDecision(delivery, update, at);
      if (decision !== null) deps.sink.publish([decision]);
    },
    alertRelayed(decision) {
      deps.sink.publish([decision]);
    },
  };
}

/** The event of a delivery's final state; null while it is not decided (pending retries, held). */
export function alertDecision(
  delivery: AlertFacts,
  update: AlertDeliveryUpdate,
  at: number,
): AlertDecisionEvent | null {
  if (update.status === 'pending' || update.status === 'held') return null;
  const reason = update.status === 'failed' ? update.lastError : (update.reason ?? delivery.reason);
  return alertDecisionEvent(delivery, update.status, reason, at);
}

/** An alert decision; the route is named by its channel only (settings hold URLs and keys). */
export function alertDecisionEvent(
  delivery: AlertFacts,
  outcome: 'sent' | 'suppressed' | 'failed',
  reason: string | null,
  at: number,
): AlertDecisionEvent {
  return {
    type: 'alert.decision',
    monitorId: delivery.monitorId,
    group: delivery.event.monitor?.group ?? null,
    alertId: delivery.id,
    incidentId: delivery.incidentId,
    nodeId: delivery.nodeId,
    kind: delivery.event.kind,
    route: delivery.channel,
    outcome,
    reason,
    at,
  };
}
