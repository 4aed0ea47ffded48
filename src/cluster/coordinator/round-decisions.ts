import type { AlertDelivery, MonitorAlertEvent } from '../../domain/alert.ts';
import type { InMaintenance, MaintenanceRef } from '../../domain/maintenance.ts';
import { MAINTENANCE_REASON } from '../../domain/maintenance.ts';
import { AppError } from '../../lib/errors.ts';
import type { AlertFollowUp } from '../../store/types.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { monitorRef } from '../../domain/monitor.ts';
import type { Decision } from './ingest.ts';
import { alertEvidence, describeAlert } from '../../consensus/alert-text.ts';
import { closingOptOuts, monitorRoutes, type RoutingSnapshot } from '../../alerts/routing.ts';
import type { ConsensusEffect, ConsensusFields } from '../../consensus/monitor-consensus.ts';

type AlertEffect = Extract<ConsensusEffect, { type: 'alert' }>;
/** A step's decision: every list present; grouping is added later, by the cause grouper. */
type StepDecision = Required<Omit<Decision, 'grouping'>> & Pick<Decision, 'grouping'>;

export interface DecisionInput {
  monitor: Monitor;
  fields: ConsensusFields;
  effects: readonly ConsensusEffect[];
  now: number;
  newId: () => string;
  /** Causes of open incidents by id; opened ones are added, resolved ones removed. */
  causes: Map<string, string>;
  /** Alert targets and routing rules: who hears of each alert. */
  routing: RoutingSnapshot;
  /** The maintenance window covering the monitor now, if any (none when not given). */
  inMaintenance?: InMaintenance;
}

/** What one consensus step stores: the monitor's new fields, rounds, incidents and alerts. */
export function buildDecision(input: DecisionInput): Decision | null {
  const { monitor, now } = input;
  const decision: StepDecision = {
    states: [{ monitorId: monitor.id, patch: input.fields }],
    incidentsOpened: [],
    incidentsUpdated: [],
    incidentsResolved: [],
    incidentsRetracted: [],
    incidentsLinked: [],
    alerts: [],
    followUps: [],
    rounds: [],
    lateVotes: [],
  };
  for (const effect of input.effects) {
    switch (effect.type) {
      case 'round-decided':
        decision.rounds.push(effect.round);
        break;
      case 'late-vote':
        decision.lateVotes.push({ roundId: effect.roundId, vote: effect.vote });
        break;
      case 'incident-opened':
        decision.incidentsOpened.push(effect.incident);
        input.causes.set(effect.incident.id, effect.incident.cause);
        break;
      case 'incident-updated':
        decision.incidentsUpdated.push({
          id: effect.incidentId,
          verdict: effect.verdict,
          regions: effect.regions,
          at: now,
        });
        break;
      case 'incident-resolved':
        decision.incidentsResolved.push({
          id: effect.incidentId,
          endedAt: effect.endedAt,
          resolvedAt: effect.resolvedAt,
          durationMs: effect.durationMs,
        });
        break;
      case 'incident-retracted':
        decision.incidentsRetracted.push({
          id: effect.incidentId,
          retractedAt: effect.retractedAt,
          reason: effect.reason,
        });
        break;
      case 'incident-linked':
        decision.incidentsLinked.push({ id: effect.incidentId, causedBy: effect.causedBy });
        break;
      case 'alert':
        if (effect.routes === 'paged') decision.followUps.push(followUp(input, effect, now));
        else decision.alerts.push(...deliveries(input, effect, now));
        break;
      case 'request-votes':
      case 'status-changed':
        break;
    }
  }
  for (const effect of input.effects) {
    if (effect.type === 'incident-resolved' || effect.type === 'incident-retracted')
      input.causes.delete(effect.incidentId);
  }
  const { id, group, tags } = monitor;
  const maintenance = input.inMaintenance?.({ kind: 'monitor', id, group, tags }, now) ?? null;
  if (maintenance !== null) markMaintenance(decision, maintenance);
  return decision;
}

/**
 * In a maintenance window nothing pages, but nothing is dropped either: incidents opened now
 * name the window, and alerts that would have gone out are recorded suppressed with reason
 * `maintenance`. Closings need nothing here: one that follows an opening suppressed this way is
 * suppressed by the store (`opening-suppressed`), and one that follows a page sent before the
 * window still goes out, so the provider's incident closes.
 */
function markMaintenance(decision: StepDecision, maintenance: MaintenanceRef): void {
  // Copies: the incidents are the consensus core's objects.
  decision.incidentsOpened = decision.incidentsOpened.map((i) => ({ ...i, maintenance }));
  decision.alerts = decision.alerts.map((alert) =>
    alert.status === 'pending'
      ? { ...alert, status: 'suppressed', reason: MAINTENANCE_REASON }
      : alert,
  );
}

/** A closing alert: its routes are those the incident's openings were stored for. */
function followUp(input: DecisionInput, effect: AlertEffect, now: number): AlertFollowUp {
  const incident = effect.incident;
  if (incident === null) throw new AppError('INTERNAL', 'a closing alert needs its incident');
  return {
    monitorId: input.monitor.id,
    incidentId: incident.id,
    event: alertEvent(input, effect, now),
    idPrefix: input.newId(),
    createdAt: now,
    optedOut: closingOptOuts(
      input.monitor,
      effect.kind === 'retracted' ? 'retracted' : 'recovered',
      input.routing,
    ),
  };
}

/** One delivery per route that hears this alert (resolved by `monitorRoutes`). */
function deliveries(input: DecisionInput, effect: AlertEffect, now: number): AlertDelivery[] {
  const { monitor } = input;
  const routes = monitorRoutes(monitor, effect.kind, input.routing);
  if (routes.length === 0) return [];
  const event = alertEvent(input, effect, now);
  return routes.map((route) => ({
    id: input.newId(),
    deliveryKey: `${effect.idempotencyKey}:${route.key}`,
    monitorId: monitor.id,
    incidentId: effect.incident?.id ?? null,
    nodeId: null,
    followsId: null,
    target: route.target,
    channel: route.channel,
    settings: route.settings,
    event,
    status: effect.suppressed ? 'suppressed' : 'pending',
    attempts: 0,
    nextAttemptAt: now,
    reason: effect.reason,
    lastError: null,
    providerRef: null,
    createdAt: now,
    sentAt: null,
  }));
}

function alertEvent(input: DecisionInput, effect: AlertEffect, now: number): MonitorAlertEvent {
  const { monitor } = input;
  const incident = effect.incident;
  return {
    kind: effect.kind,
    idempotencyKey: effect.idempotencyKey,
    monitor: monitorRef(monitor),
    incident:
      incident === null
        ? null
        : {
            id: incident.id,
            startedAt: incident.startedAt,
            endedAt: incident.endedAt,
            durationMs: incident.endedAt === null ? null : incident.endedAt - incident.startedAt,
            cause: input.causes.get(incident.id) ?? '',
          },
    verdict: effect.round?.verdict ?? input.fields.verdict ?? 'unknown',
    regions: effect.round?.regions ?? [],
    evidence: alertEvidence(effect.round),
    message:
      retractionOf(input, incident?.id) ??
      describeAlert(effect.kind, effect.round, {
        flapChanges: monitor.consensus.flapChanges,
        flapWindowMs: monitor.consensus.flapWindowMs,
        status: input.fields.openIncident?.verdict ?? 'up',
      }),
    occurredAt: now,
  };
}

/** A retraction's alert says why the evidence did not hold. */
function retractionOf(input: DecisionInput, incidentId: string | undefined): string | undefined {
  const retraction = input.effects.find(
    (e) => e.type === 'incident-retracted' && e.incidentId === incidentId,
  );
  return retraction?.type === 'incident-retracted' ? `Retracted — ${retraction.reason}` : undefined;
}
