import type { AlertDelivery, AlertKind, MonitorAlertEvent } from '../../domain/alert.ts';
import { MAINTENANCE_REASON } from '../../domain/maintenance.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { monitorRef } from '../../domain/monitor.ts';
import {
  closingOptOuts,
  monitorRoutes,
  type ResolvedRoute,
  type RoutingSnapshot,
} from '../../alerts/routing.ts';
import { alertIdempotencyKey } from '../../consensus/consensus-state.ts';
import type { DegradedChange, DegradedViews } from '../../consensus/degraded-episodes.ts';
import { degradedEvidence, describeDegraded } from '../../consensus/degraded-text.ts';
import type { CountedVote } from '../../consensus/quorum.ts';
import type { VoterInfo } from '../../consensus/round.ts';

// What a degraded episode's start or end stores: a start goes to every route that names
// `degraded` (degraded episodes are opt-in), its end to those of them that name
// `degraded-ended`, each following the start on its route. Keyed by the episode, so a replay
// inserts nothing twice.

export interface DegradedDeliveryInput {
  monitor: Monitor;
  change: DegradedChange;
  views: DegradedViews;
  voters: readonly VoterInfo[];
  /** The votes the quorum counted (for the message). */
  votes: readonly CountedVote[];
  now: number;
  newId: () => string;
  routing: RoutingSnapshot;
}

/**
 * Reasons recorded on the deliveries. A start inside a maintenance window is suppressed
 * (`maintenance`), and so is its end (`opening-suppressed`). An end because an incident opened
 * is recorded suppressed (`incident-opened`): the incident's own alerts say it is down. Any
 * other end goes out, even inside a window, so a provider resolves what it was told.
 */
export const DEGRADED_REASONS = {
  started: 'degraded-episode',
  ended: 'episode-ended',
  incidentOpened: 'incident-opened',
  openingSuppressed: 'opening-suppressed',
} as const;

/**
 * The deliveries of one episode change (none when no route names its event), and for a start
 * the route key → delivery id map its end will follow.
 */
export function degradedDeliveries(input: DegradedDeliveryInput): {
  alerts: AlertDelivery[];
  openings: Record<string, string>;
} {
  const { monitor, change, now } = input;
  const kind: AlertKind = change.type === 'started' ? 'degraded' : 'degraded-ended';
  const openings = change.episode.openings;
  const routes =
    change.type === 'started'
      ? monitorRoutes(monitor, kind, input.routing)
      : endRoutes(monitor, openings, input.routing);
  if (routes.length === 0) return { alerts: [], openings: {} };
  const event = degradedEvent(input, kind);
  const { suppressed, reason } = deliveryStatus(change);
  const alerts = routes.map((route): AlertDelivery => ({
    id: input.newId(),
    deliveryKey: `${event.idempotencyKey}:${route.key}`,
    monitorId: monitor.id,
    incidentId: null,
    nodeId: null,
    // The dispatcher sends an end only once its start was sent there, with the start's reference.
    followsId: change.type === 'started' ? null : (openings[route.key] ?? null),
    target: route.target,
    channel: route.channel,
    settings: route.settings,
    event,
    status: suppressed ? 'suppressed' : 'pending',
    attempts: 0,
    nextAttemptAt: now,
    reason,
    lastError: null,
    providerRef: null,
    createdAt: now,
    sentAt: null,
  }));
  if (change.type === 'ended') return { alerts, openings: {} };
  return {
    alerts,
    openings: Object.fromEntries(routes.map((route, i) => [route.key, alerts[i]?.id ?? ''])),
  };
}

/**
 * Where an end goes: every route its start was stored for, as an incident's closing does (an
 * edit in between cannot leave a provider's alert open), except targets whose routes now name
 * their events and leave `degraded-ended` out. A start only ever reaches a target route (inline
 * routes hear the defaults, which leave degraded out), so each key is a target's name.
 */
function endRoutes(
  monitor: Monitor,
  openings: Readonly<Record<string, string>>,
  routing: RoutingSnapshot,
): Pick<ResolvedRoute, 'key' | 'target' | 'channel' | 'settings'>[] {
  const optedOut = new Set(closingOptOuts(monitor, 'degraded-ended', routing));
  return Object.keys(openings)
    .filter((name) => !optedOut.has(name))
    .map((name) => ({
      key: name,
      target: name,
      // A target deleted since: the send fails, saying so (as for any delivery).
      channel: routing.targets.get(name)?.type ?? '',
      settings: {},
    }));
}

function deliveryStatus(change: DegradedChange): { suppressed: boolean; reason: string } {
  if (change.type === 'started') {
    return change.episode.suppressed
      ? { suppressed: true, reason: MAINTENANCE_REASON }
      : { suppressed: false, reason: DEGRADED_REASONS.started };
  }
  if (change.episode.suppressed)
    return { suppressed: true, reason: DEGRADED_REASONS.openingSuppressed };
  if (change.reason === 'down')
    return { suppressed: true, reason: DEGRADED_REASONS.incidentOpened };
  return { suppressed: false, reason: DEGRADED_REASONS.ended };
}

function degradedEvent(input: DegradedDeliveryInput, kind: AlertKind): MonitorAlertEvent {
  const { monitor, change, now } = input;
  const message =
    change.type === 'started'
      ? describeDegraded({ type: 'started' }, input.votes)
      : describeDegraded(
          { type: 'ended', reason: change.reason, durationMs: now - change.episode.startedAt },
          input.votes,
        );
  return {
    kind,
    idempotencyKey: alertIdempotencyKey(monitor.id, change.episode.id, kind),
    monitor: monitorRef(monitor),
    incident: null,
    // Up throughout, except when it ended because the quorum found it down.
    verdict: change.type === 'ended' && change.reason === 'down' ? 'down' : 'up',
    regions: [],
    evidence: degradedEvidence(input.views, input.voters),
    message,
    occurredAt: now,
  };
}
