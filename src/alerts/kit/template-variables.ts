import type { AlertEvidence, MonitorAlertEvent } from '../../domain/alert.ts';
import { isMonitorAlert } from '../../domain/alert.ts';
import { formatDuration } from '../../lib/duration.ts';
import type { OutgoingAlert } from '../types.ts';

// The values a message template sees. Keys are snake_case, as Liquid templates write them, and
// every value is plain data (strings, numbers, arrays, plain objects): with `ownPropertyOnly`
// a template reaches nothing but what is listed here.

/** One evidence entry as templates see it: a node's vote in the round behind the alert. */
export interface TemplateEvidence {
  node: string;
  region: string | null;
  outcome: AlertEvidence['outcome'];
  message: string;
  latency_ms: number | null;
}

/** Every variable a template can use; `TEMPLATE_VARIABLES` documents each one. */
export interface TemplateVariables {
  kind: string;
  status: 'firing' | 'resolved';
  severity: string;
  title: string;
  message: string;
  monitor: {
    id: string;
    name: string;
    type: string;
    target: string;
    group: string | null;
    tags: string[];
  } | null;
  node: { id: string; name: string; region: string | null; from: string; to: string } | null;
  verdict: string | null;
  regions: string[];
  agreeing_nodes: TemplateEvidence[];
  evidence: TemplateEvidence[];
  error: string;
  started: string;
  duration: string;
  incident: { id: string; url: string | null } | null;
  url: string | null;
}

/** One documented variable: its name and what it holds. */
export interface TemplateVariableDoc {
  name: keyof TemplateVariables;
  description: string;
}

/** The documented variables, in the order the docs page lists them. */
export const TEMPLATE_VARIABLES: readonly TemplateVariableDoc[] = [
  {
    name: 'kind',
    description:
      'What happened: `down`, `regional`, `recovered`, `retracted`, `flapping`, `flapping-ended`, `degraded`, `degraded-ended`, `node-missing`, `node-online`, `node-impaired` or `node-healthy`.',
  },
  {
    name: 'status',
    description:
      '`firing` when trouble starts, `resolved` when it ends (recovered, retracted, node back).',
  },
  { name: 'severity', description: '`critical`, `warning`, `info` or `ok`.' },
  { name: 'title', description: 'The default title, e.g. `DOWN: Checkout API`.' },
  { name: 'message', description: 'The one-line summary: what was decided and why.' },
  {
    name: 'monitor',
    description:
      'The monitor (`id`, `name`, `type`, `target`, `group`, `tags`); empty for node alerts.',
  },
  {
    name: 'node',
    description:
      'The cluster node of a node alert (`id`, `name`, `region`, `from`, `to`); empty for monitor alerts.',
  },
  {
    name: 'verdict',
    description:
      'The verdict of the round behind a monitor alert: `down`, `regional`, `local`, `up` or `unknown`.',
  },
  { name: 'regions', description: 'The regions a regional verdict names (sorted; else empty).' },
  {
    name: 'agreeing_nodes',
    description:
      'The evidence entries that agree with the alert: outcome `fail` for an opening, `ok` for a recovery.',
  },
  {
    name: 'evidence',
    description:
      'One entry per node of the round: `node`, `region`, `outcome` (`fail`, `ok`, `abstain`, `no-answer`), `message`, `latency_ms`.',
  },
  {
    name: 'error',
    description:
      "The incident's cause, else the first failing node's message; empty when there is none.",
  },
  {
    name: 'started',
    description: 'When the incident started (ISO 8601, UTC); for other alerts, when it happened.',
  },
  {
    name: 'duration',
    description:
      'How long the incident lasted (recoveries) or has lasted so far, as `5m` or `1h30m`.',
  },
  {
    name: 'incident',
    description:
      'The incident (`id`, and `url` — its dashboard link when a public URL is configured); empty when there is none.',
  },
  {
    name: 'url',
    description:
      'The dashboard link of the incident, monitor or node when a public URL is configured; else empty.',
  },
];

/** The values a template renders with, for one outgoing alert (pure). */
export function templateVariables(alert: OutgoingAlert): TemplateVariables {
  const { event, message } = alert;
  const common = {
    kind: event.kind,
    status: alert.status,
    severity: message.severity,
    title: message.title,
    message: event.message,
    url: message.url,
  };
  if (!isMonitorAlert(event)) {
    const { id, name, region } = event.node;
    return {
      ...common,
      monitor: null,
      node: { id, name, region, from: event.from, to: event.to },
      verdict: null,
      regions: [],
      agreeing_nodes: [],
      evidence: [],
      error: '',
      started: new Date(event.occurredAt).toISOString(),
      duration: '',
      incident: null,
    };
  }
  const evidence = event.evidence.map(templateEvidence);
  const agreeing = alert.status === 'firing' ? 'fail' : 'ok';
  const { id, name, type, target, group, tags } = event.monitor;
  return {
    ...common,
    monitor: { id, name, type, target, group, tags: [...tags] },
    node: null,
    verdict: event.verdict,
    regions: [...event.regions],
    agreeing_nodes: evidence.filter((entry) => entry.outcome === agreeing),
    evidence,
    error: incidentError(event),
    started: new Date(event.incident?.startedAt ?? event.occurredAt).toISOString(),
    duration: incidentDuration(event),
    incident: event.incident === null ? null : { id: event.incident.id, url: message.url },
  };
}

function templateEvidence(vote: AlertEvidence): TemplateEvidence {
  return {
    node: vote.node,
    region: vote.region,
    outcome: vote.outcome,
    message: vote.message,
    latency_ms: vote.latencyMs,
  };
}

function incidentError(event: MonitorAlertEvent): string {
  if (event.incident !== null && event.incident.cause !== '') return event.incident.cause;
  return (
    event.evidence.find((vote) => vote.outcome === 'fail' && vote.message !== '')?.message ?? ''
  );
}

/** The incident's length when it ended; else how long it had lasted when the alert happened. */
function incidentDuration(event: MonitorAlertEvent): string {
  if (event.incident === null) return '';
  const ms = event.incident.durationMs ?? event.occurredAt - event.incident.startedAt;
  return ms >= 0 ? formatDuration(ms) : '';
}
