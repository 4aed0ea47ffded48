import { z } from 'zod';
import type { AlertEvent } from '../../../domain/alert.ts';
import { isMonitorAlert } from '../../../domain/alert.ts';
import type { OutgoingAlert } from '../../types.ts';

// Alertmanager identifies an alert by its whole label set: a resolve must repeat the labels
// of the firing alert exactly, or it resolves nothing. So the opening's labels are returned
// as its provider reference and the closing reuses them; they are derived again only when
// that reference is missing (an opening sent by an older version).

/** A Prometheus label name. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const storedLabelsSchema = z.record(z.string().regex(LABEL_NAME), z.string());

type OpeningKind = 'down' | 'regional' | 'flapping' | 'degraded' | 'node-missing' | 'node-impaired';

const ALERT_NAMES: Record<OpeningKind, string> = {
  down: 'CrosscheckMonitorDown',
  regional: 'CrosscheckRegionalOutage',
  flapping: 'CrosscheckMonitorFlapping',
  degraded: 'CrosscheckMonitorDegraded',
  'node-missing': 'CrosscheckNodeMissing',
  'node-impaired': 'CrosscheckNodeImpaired',
};

const SEVERITIES: Record<OpeningKind, string> = {
  down: 'critical',
  regional: 'warning',
  flapping: 'warning',
  degraded: 'warning',
  'node-missing': 'critical',
  'node-impaired': 'warning',
};

/**
 * The labels of the alert an event opens or closes. A closing's own labels come from its
 * opening's reference when there is one.
 */
export function alertLabels(
  alert: OutgoingAlert,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  if (alert.status === 'resolved') {
    const stored = parseStoredLabels(alert.openingRef);
    if (stored !== undefined) return stored;
  }
  const kind = openingKind(alert.event);
  const subject = isMonitorAlert(alert.event)
    ? { monitor: alert.event.monitor.name, monitor_id: alert.event.monitor.id }
    : { node: alert.event.node.name, node_id: alert.event.node.id };
  return {
    ...extra,
    alertname: ALERT_NAMES[kind],
    severity: SEVERITIES[kind],
    ...subject,
    dedup_key: alert.dedupKey,
  };
}

/** The opening an event belongs to; a recovery is taken to close a down (the usual case). */
function openingKind(event: AlertEvent): OpeningKind {
  switch (event.kind) {
    case 'regional':
    case 'flapping':
    case 'degraded':
    case 'node-missing':
    case 'node-impaired':
      return event.kind;
    case 'flapping-ended':
      return 'flapping';
    case 'degraded-ended':
      return 'degraded';
    case 'node-online':
      return 'node-missing';
    case 'node-healthy':
      return 'node-impaired';
    default:
      return 'down';
  }
}

function parseStoredLabels(ref: string | null): Record<string, string> | undefined {
  if (ref === null) return undefined;
  try {
    const parsed = storedLabelsSchema.safeParse(JSON.parse(ref));
    return parsed.success && parsed.data['alertname'] !== undefined ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
