import type { MonitorRef } from './monitor.ts';

/** Which monitor transition an alert reports. */
export type AlertKind = 'down' | 'recovered';

/** Which node transition an alert reports: it went missing, or came back from missing. */
export type NodeAlertKind = 'node-missing' | 'node-online';

/** What every channel renders: a monitor transition or a cluster node transition. */
export type AlertEvent = MonitorAlertEvent | NodeAlertEvent;

/** One monitor transition, with its incident. */
export interface MonitorAlertEvent {
  kind: AlertKind;
  /** Unique per monitor, incident and transition; channels pass it on so receivers can dedupe. */
  idempotencyKey: string;
  monitor: MonitorRef;
  incident: {
    id: string;
    startedAt: number;
    endedAt: number | null;
    durationMs: number | null;
    cause: string;
  };
  /** The result that triggered the transition. */
  message: string;
  occurredAt: number;
}

/** One cluster node transition (the coordinator's membership view). */
export interface NodeAlertEvent {
  kind: NodeAlertKind;
  /** `node:<node>:<event>:<missing|online>`; unique per transition. */
  idempotencyKey: string;
  node: { id: string; name: string; region: string | null };
  from: string;
  to: string;
  message: string;
  occurredAt: number;
}

/** True for an event about a monitor (not a node). */
export function isMonitorAlert(event: AlertEvent): event is MonitorAlertEvent {
  return event.kind === 'down' || event.kind === 'recovered';
}

export type AlertDeliveryStatus = 'pending' | 'sent' | 'failed' | 'suppressed';

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
  channel: string;
  settings: Record<string, unknown>;
  event: AlertEvent;
  status: AlertDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}
