import type { MonitorRef } from './monitor.ts';

/** Which transition an alert reports. */
export type AlertKind = 'down' | 'recovered';

/** The body every channel renders: one monitor transition, with its incident. */
export interface AlertEvent {
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

export type AlertDeliveryStatus = 'pending' | 'sent' | 'failed' | 'suppressed';

/** One alert to one channel, stored before it is sent so a crash never loses or repeats it. */
export interface AlertDelivery {
  id: string;
  /** `${event.idempotencyKey}:${routeIndex}` — unique, so a replay inserts nothing twice. */
  deliveryKey: string;
  monitorId: string;
  incidentId: string;
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
