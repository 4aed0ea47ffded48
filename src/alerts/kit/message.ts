import type { AlertEvent, MonitorAlertEvent, NodeAlertEvent } from '../../domain/alert.ts';
import { isMonitorAlert } from '../../domain/alert.ts';
import { formatDuration } from '../../lib/duration.ts';

/** How loud an alert is; providers map it to their own levels (PagerDuty severity, colours…). */
export type AlertSeverity = 'critical' | 'warning' | 'info' | 'ok';

/** One labelled value shown with an alert (Monitor, Target, Regions…). */
export interface AlertFact {
  label: string;
  value: string;
}

/**
 * An alert rendered for people, once, before any channel formats it: a title, a summary, the
 * facts, one evidence line per node, and the incident's link when a public URL is configured.
 * A target's template replaces `title` and `text` and sets `custom` (facts and evidence are
 * then left out: the template decides what is said).
 */
export interface AlertMessage {
  title: string;
  text: string;
  severity: AlertSeverity;
  facts: AlertFact[];
  evidence: string[];
  url: string | null;
  custom: boolean;
}

const FIRING_KINDS = new Set([
  'down',
  'regional',
  'flapping',
  'node-missing',
  'node-impaired',
  'degraded',
]);

/** `firing` for an alert that opens trouble, `resolved` for one that closes it. */
export function alertStatus(event: AlertEvent): 'firing' | 'resolved' {
  return FIRING_KINDS.has(event.kind) ? 'firing' : 'resolved';
}

/** The alert's severity: down and node-missing are critical; partial trouble is a warning. */
export function alertSeverity(event: AlertEvent): AlertSeverity {
  switch (event.kind) {
    case 'down':
    case 'node-missing':
      return 'critical';
    case 'regional':
    case 'flapping':
    case 'degraded':
    case 'node-impaired':
      return 'warning';
    case 'retracted':
      return 'info';
    default:
      return 'ok';
  }
}

/**
 * The provider-side key an opening and its closing share: per incident for monitor alerts
 * (per flap episode for flapping, per degraded episode for degraded), per node and trouble
 * kind for node alerts.
 */
export function alertDedupKey(event: AlertEvent): string {
  if (!isMonitorAlert(event)) {
    const family =
      event.kind === 'node-missing' || event.kind === 'node-online' ? 'membership' : 'health';
    return `crosscheck-node-${event.node.id}-${family}`;
  }
  if (episodic(event) || event.incident === null) {
    const scope = event.idempotencyKey.split(':')[1] ?? event.kind;
    return `crosscheck-${event.monitor.id}-${scope}`;
  }
  return `crosscheck-${event.monitor.id}-${event.incident.id}`;
}

/** Flapping and degraded alerts belong to an episode, named in their key, not to an incident. */
function episodic(event: MonitorAlertEvent): boolean {
  return EPISODE_KINDS.has(event.kind);
}

const EPISODE_KINDS = new Set(['flapping', 'flapping-ended', 'degraded', 'degraded-ended']);

const TITLES: Record<AlertEvent['kind'], string> = {
  down: 'DOWN',
  regional: 'REGIONAL OUTAGE',
  recovered: 'RECOVERED',
  retracted: 'RETRACTED',
  flapping: 'FLAPPING',
  'flapping-ended': 'STOPPED FLAPPING',
  degraded: 'DEGRADED',
  'degraded-ended': 'NO LONGER DEGRADED',
  'node-missing': 'NODE MISSING',
  'node-online': 'NODE BACK ONLINE',
  'node-impaired': 'NODE IMPAIRED',
  'node-healthy': 'NODE HEALTHY AGAIN',
};

/** Renders an event for people (pure). `publicUrl` adds the incident's dashboard link. */
export function renderAlertMessage(event: AlertEvent, publicUrl: string | null): AlertMessage {
  return isMonitorAlert(event) ? monitorMessage(event, publicUrl) : nodeMessage(event, publicUrl);
}

function monitorMessage(event: MonitorAlertEvent, publicUrl: string | null): AlertMessage {
  const facts: AlertFact[] = [
    { label: 'Monitor', value: event.monitor.name },
    { label: 'Target', value: event.monitor.target },
    { label: 'Verdict', value: event.verdict },
  ];
  if (event.group !== undefined) {
    // A group's page: the monitor fact names the group; these say what it holds.
    facts.push({ label: 'Monitors', value: String(event.group.count) });
    facts.push({ label: 'Shared cause', value: event.group.cause });
  }
  if (event.regions.length > 0) facts.push({ label: 'Regions', value: event.regions.join(', ') });
  if (event.monitor.group !== null) facts.push({ label: 'Group', value: event.monitor.group });
  if (event.incident !== null) {
    facts.push({ label: 'Started', value: new Date(event.incident.startedAt).toISOString() });
    if (event.incident.durationMs !== null) {
      facts.push({ label: 'Duration', value: formatDuration(event.incident.durationMs) });
    }
    if (event.incident.cause !== '') facts.push({ label: 'Cause', value: event.incident.cause });
  }
  return {
    title: `${TITLES[event.kind]}: ${event.monitor.name}`,
    text: event.message,
    severity: alertSeverity(event),
    facts,
    evidence: event.evidence.map((vote) => {
      const where = vote.region === null ? vote.node : `${vote.node} (${vote.region})`;
      const latency = vote.latencyMs === null ? '' : ` in ${vote.latencyMs} ms`;
      const detail = vote.message === '' ? '' : ` — ${vote.message}`;
      return `${where}: ${vote.outcome}${latency}${detail}`;
    }),
    url: incidentLink(publicUrl, event.incident?.id ?? null, event.monitor.id),
    custom: false,
  };
}

function nodeMessage(event: NodeAlertEvent, publicUrl: string | null): AlertMessage {
  const facts: AlertFact[] = [{ label: 'Node', value: event.node.name }];
  if (event.node.region !== null) facts.push({ label: 'Region', value: event.node.region });
  facts.push({ label: 'Change', value: `${event.from} → ${event.to}` });
  return {
    title: `${TITLES[event.kind]}: ${event.node.name}`,
    text: event.message,
    severity: alertSeverity(event),
    facts,
    evidence: [],
    url:
      publicUrl === null
        ? null
        : `${trimSlash(publicUrl)}/nodes/${encodeURIComponent(event.node.id)}`,
    custom: false,
  };
}

function incidentLink(
  publicUrl: string | null,
  incidentId: string | null,
  monitorId: string,
): string | null {
  if (publicUrl === null) return null;
  const base = trimSlash(publicUrl);
  return incidentId === null
    ? `${base}/monitors/${encodeURIComponent(monitorId)}`
    : `${base}/incidents/${encodeURIComponent(incidentId)}`;
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
