import { createHash } from 'node:crypto';
import { isMonitorAlert } from '../../domain/alert.ts';
import type { OutgoingAlert } from '../types.ts';
import type { AlertMessage } from './message.ts';

// Fields incident tools (PagerDuty, Opsgenie, ilert, Alertmanager…) ask for besides the text:
// what is affected, key/value details, and a dedup key within the provider's length limit.

/** Who sends: incident tools show it as the alert's source or monitoring tool. */
export const SENDER_NAME = 'Crosscheck';

/** What the alert is about, by name: the monitor's or the node's. */
export function subjectName(alert: OutgoingAlert): string {
  return isMonitorAlert(alert.event) ? alert.event.monitor.name : alert.event.node.name;
}

/**
 * The affected system as incident tools want it ("hostname or FQDN" for PagerDuty's `source`,
 * `entity` for Opsgenie): the monitor's target, or the node's name.
 */
export function affectedSystem(alert: OutgoingAlert): string {
  return isMonitorAlert(alert.event) ? alert.event.monitor.target : alert.event.node.name;
}

/** When the trouble started: the incident's start, else the event's time (ISO 8601). */
export function startedAt(alert: OutgoingAlert): string {
  const { event } = alert;
  const started = isMonitorAlert(event) ? (event.incident?.startedAt ?? null) : null;
  return new Date(started ?? event.occurredAt).toISOString();
}

/** The message's facts as a label → value record, for providers with key/value details. */
export function factRecord(message: AlertMessage): Record<string, string> {
  return Object.fromEntries(message.facts.map((fact) => [fact.label, fact.value]));
}

/**
 * The dedup key within a provider's limit. A longer key becomes a stable hash of itself, so
 * the opening and its closing still name the same provider-side alert.
 */
export function keyWithin(key: string, limit: number): string {
  if (key.length <= limit) return key;
  const digest = createHash('sha256').update(key).digest('hex');
  return `crosscheck-${digest}`.slice(0, limit);
}
