import type { AlertDelivery, MonitorAlertEvent } from '../../domain/alert.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { monitorRef } from '../../domain/monitor.ts';
import type { Decision } from '../../agent/ingest.ts';
import { alertEvidence, describeAlert } from '../../consensus/alert-text.ts';
import type { ConsensusEffect, ConsensusFields } from '../../consensus/monitor-consensus.ts';

type AlertEffect = Extract<ConsensusEffect, { type: 'alert' }>;

export interface DecisionInput {
  monitor: Monitor;
  fields: ConsensusFields;
  effects: readonly ConsensusEffect[];
  now: number;
  newId: () => string;
  /** Causes of open incidents by id; opened ones are added, resolved ones removed. */
  causes: Map<string, string>;
}

/** What one consensus step stores: the monitor's new fields, rounds, incidents and alerts. */
export function buildDecision(input: DecisionInput): Decision | null {
  const { monitor, now } = input;
  const decision: Required<Decision> = {
    states: [{ monitorId: monitor.id, patch: input.fields }],
    incidentsOpened: [],
    incidentsUpdated: [],
    incidentsResolved: [],
    alerts: [],
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
      case 'alert':
        decision.alerts.push(...deliveries(input, effect, now));
        break;
      case 'request-votes':
      case 'status-changed':
        break;
    }
  }
  for (const effect of input.effects) {
    if (effect.type === 'incident-resolved') input.causes.delete(effect.incidentId);
  }
  return decision;
}

function deliveries(input: DecisionInput, effect: AlertEffect, now: number): AlertDelivery[] {
  const { monitor } = input;
  const routes = effect.routes === 'main' ? monitor.alerts : monitor.regionalAlerts;
  if (routes.length === 0) return [];
  const incident = effect.incident;
  const event: MonitorAlertEvent = {
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
    message: describeAlert(effect.kind, effect.round, {
      flapChanges: monitor.consensus.flapChanges,
      flapWindowMs: monitor.consensus.flapWindowMs,
      status: input.fields.openIncident?.verdict ?? 'up',
    }),
    occurredAt: now,
  };
  return routes.map((route, index) => ({
    id: input.newId(),
    deliveryKey: `${effect.idempotencyKey}:${effect.routes}:${index}`,
    monitorId: monitor.id,
    incidentId: incident?.id ?? null,
    nodeId: null,
    channel: route.channel,
    settings: route.settings,
    event,
    status: effect.suppressed ? 'suppressed' : 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastError: effect.suppressed ? effect.reason : null,
    createdAt: now,
    sentAt: null,
  }));
}
