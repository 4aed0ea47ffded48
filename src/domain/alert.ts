import type { Verdict, VoteOutcome } from './consensus.ts';
import type { MonitorRef } from './monitor.ts';

/**
 * Which monitor transition an alert reports: confirmed down, a regional outage, recovered, an
 * incident retracted (the evidence it was opened on did not hold), the start and end of
 * flapping (alerts in between are recorded as suppressed), or the start and end of a degraded
 * episode (up by quorum, but a quorum of nodes sees it degraded; opt-in per route).
 */
export type AlertKind =
  | 'down'
  | 'regional'
  | 'recovered'
  | 'retracted'
  | 'flapping'
  | 'flapping-ended'
  | 'degraded'
  | 'degraded-ended';

export const MONITOR_ALERT_KINDS: readonly AlertKind[] = [
  'down',
  'regional',
  'recovered',
  'retracted',
  'flapping',
  'flapping-ended',
  'degraded',
  'degraded-ended',
];

/** Kinds that open an incident on a route; `recovered` and `retracted` follow them. */
export const OPENING_ALERT_KINDS: readonly AlertKind[] = ['down', 'regional'];

/** Kinds that close what an opening alert told a route; sent only after a delivered opening. */
export type ClosingAlertKind = 'recovered' | 'retracted';

/**
 * Which node transition an alert reports: it went missing or came back (membership), or its
 * votes disagree with the cluster across many monitors (impaired) and then agree again.
 */
export type NodeAlertKind = 'node-missing' | 'node-online' | 'node-impaired' | 'node-healthy';

/** One node's vote as an alert carries it (the full evidence is on the incident). */
export interface AlertEvidence {
  node: string;
  region: string | null;
  outcome: VoteOutcome;
  message: string;
  latencyMs: number | null;
}

/** What every channel renders: a monitor transition or a cluster node transition. */
export type AlertEvent = MonitorAlertEvent | NodeAlertEvent;

/** One monitor transition, with its incident. */
export interface MonitorAlertEvent {
  kind: AlertKind;
  /** Unique per monitor, incident and transition; channels pass it on so receivers can dedupe. */
  idempotencyKey: string;
  monitor: MonitorRef;
  /**
   * The incident of the transition; null for flapping alerts while no incident is open, and
   * for degraded alerts (a degraded episode is not an incident: its id is in the key).
   */
  incident: {
    id: string;
    startedAt: number;
    endedAt: number | null;
    durationMs: number | null;
    cause: string;
  } | null;
  /** The verdict of the round behind the transition, and the regions a regional one names. */
  verdict: Verdict;
  regions: string[];
  /** Every vote of that round. */
  evidence: AlertEvidence[];
  /** One line for people: what was decided and why. */
  message: string;
  occurredAt: number;
  /**
   * Set on a group's page: many monitors failing with one visible cause, paged once. `monitor`
   * and `incident` then name the group (its title and id), and the members are listed here.
   */
  group?: AlertGroup;
}

/** The monitors one page stands for (see `domain/cause-group.ts`). */
export interface AlertGroup {
  id: string;
  /** `host db.internal`, `region us-east`, `resolver 10.0.0.53:53`, `group web`. */
  cause: string;
  /** How many monitors the group holds. */
  count: number;
  /** The first of them by when they joined (at most GROUP_PAGE_LISTED). */
  monitors: { id: string; name: string }[];
}

/** One cluster node transition (the coordinator's membership view). */
export interface NodeAlertEvent {
  kind: NodeAlertKind;
  /** `node:<node>:<event>:<missing|online|impaired|healthy>`; unique per transition. */
  idempotencyKey: string;
  node: { id: string; name: string; region: string | null };
  from: string;
  to: string;
  message: string;
  occurredAt: number;
}

/** True for an event about a monitor (not a node). */
export function isMonitorAlert(event: AlertEvent): event is MonitorAlertEvent {
  return (MONITOR_ALERT_KINDS as readonly string[]).includes(event.kind);
}

/**
 * `held`: an opening page waiting (bounded) for its cause group's decision; it becomes
 * `pending` (sent on its own) or `suppressed` (reason `grouped`: the group's page stands for it).
 */
export type AlertDeliveryStatus = 'pending' | 'held' | 'sent' | 'failed' | 'suppressed';

/** One alert to one channel, stored before it is sent so a crash never loses or repeats it. */
export interface AlertDelivery {
  id: string;
  /** `${event.idempotencyKey}:${routeIndex}` — unique, so a replay inserts nothing twice. */
  deliveryKey: string;
  /** The monitor and incident of a monitor alert; null for a node alert. */
  monitorId: string | null;
  incidentId: string | null;
  /** The node of a node alert; null for a monitor alert. */
  nodeId: string | null;
  /**
   * For a closing alert (recovered, retracted): the opening delivery on the same route it
   * follows. It is sent only once that one was sent (see `decideFollowUp`).
   */
  followsId: string | null;
  /**
   * The named alert target it goes to; its settings are read when it is sent, so a fixed
   * token reaches retries. Null for a route stored with inline settings.
   */
  target: string | null;
  channel: string;
  /** Inline settings of a route without a target; `{}` for a target's delivery. */
  settings: Record<string, unknown>;
  event: AlertEvent;
  status: AlertDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  /**
   * Why the alert policy decided as it did (`new-incident`, `escalation`, `within-cooldown`,
   * `flapping`, `paused`, `follows-page`, `opening-failed`, `node-missing`, `monitor-deleted`…):
   * for a suppressed delivery, the rule that held it back.
   * Null on deliveries stored before the reason was recorded.
   */
  reason: string | null;
  /** The provider's answer to the last failed attempt (or why no attempt could be made). */
  lastError: string | null;
  /** What the provider returned to find this alert again (an issue number…); null if nothing. */
  providerRef: string | null;
  createdAt: number;
  sentAt: number | null;
}

/** A delivery's new state after a send attempt or a decision not to send. */
export interface AlertDeliveryUpdate {
  status: AlertDelivery['status'];
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  sentAt: number | null;
  /** Replaces the delivery's reason when given (a closing alert suppressed at send time). */
  reason?: string;
  /** The provider's reference from a successful send. */
  providerRef?: string;
}

/** What one send attempt came to: delivered, failed but tried again later, or given up. */
export type AlertAttemptOutcome = 'sent' | 'retry' | 'failed';

/** One send attempt of a delivery, kept with it so the alert log shows its retry history. */
export interface AlertAttempt {
  /** 1 for the first send. */
  attempt: number;
  at: number;
  outcome: AlertAttemptOutcome;
  /** The provider's answer or the network error; null when sent. */
  error: string | null;
  /** HTTP status of the provider's answer, when there was one. */
  httpStatus: number | null;
}
