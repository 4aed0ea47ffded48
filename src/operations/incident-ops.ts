import { z } from 'zod';
import { explainIncident } from '../services/incident-explain.ts';
import { MAX_ACK_NOTE_LENGTH } from '../services/incident-service.ts';
import { defineOperation, need } from './kit.ts';
import { incidentExplanationSchema } from './schemas/explain.ts';
import { incidentSchema } from './schemas/incidents.ts';
import { causeGroupSchema } from './schemas/cause-groups.ts';

const incidentId = z.string().min(1).describe('incident id');

export const acknowledgeIncident = defineOperation({
  name: 'incidents.ack',
  summary: 'Acknowledge an open incident: record who is on it, when, and a note',
  description:
    'Records the caller and the time on the incident (alerting stops re-notifying and escalating ' +
    'from then). Acknowledging again keeps the first time and author and replaces the note when ' +
    'one is given. A resolved or retracted incident cannot be acknowledged (409).',
  input: z
    .object({
      id: incidentId,
      note: z.string().max(MAX_ACK_NOTE_LENGTH).optional().describe('what is being done'),
    })
    .strict(),
  output: incidentSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'POST', path: '/api/v1/incidents/{id}/ack' },
  cli: ['incidents', 'ack'],
  mcp: true,
  offline: false,
  async run({ principal, services }, { id, note }) {
    const incidents = need(services.incidents, services.unavailableReason);
    return incidents.acknowledge(id, principal.name, note);
  },
});

export const explainIncidentVerdict = defineOperation({
  name: 'incidents.explain',
  summary: 'Explain an incident’s verdict: who saw what, from where, and why it followed',
  description:
    'A compact view for people and models: the quorum rule, every round with each node’s vote ' +
    '(region, down/up/abstain, error, latency), which regions saw it down, why each round was ' +
    'down, regional or local, and a one-paragraph summary.',
  input: z.object({ id: incidentId }).strict(),
  output: incidentExplanationSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/incidents/{id}/explain' },
  cli: ['incidents', 'explain'],
  mcp: true,
  offline: true,
  async run({ services }, { id }) {
    const detail = await services.queries.incident(id);
    const monitor = await services.monitors.get(detail.monitorId);
    return explainIncident(detail, monitor);
  },
});

export const showIncidentGroup = defineOperation({
  name: 'incidents.group',
  summary: 'A group of incidents sharing a cause: the one page that listed them, and its members',
  description:
    'When many monitors fail together behind one host, resolver, region or configured group, ' +
    'their incidents join one group that pages once per route and lists them (each keeps its own ' +
    'evidence and history). Shows the group, when it paged and closed, and its members in the ' +
    'order they joined (`limit`, default 100); `count` says how many there are in all.',
  input: z
    .object({
      id: z.string().min(1).describe('group id (an incident’s `groupId`)'),
      limit: z.coerce.number().int().min(1).max(10_000).default(100).describe('members shown'),
    })
    .strict(),
  output: causeGroupSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/incident-groups/{id}' },
  cli: ['incidents', 'group'],
  mcp: true,
  offline: true,
  run({ services }, { id, limit }) {
    return services.queries.causeGroup(id, limit);
  },
});

const evidenceEntrySchema = z.object({
  resultId: z.string(),
  nodeId: z.string(),
  checkedAt: z.number().int().describe('epoch ms the failed check started'),
  consoleErrors: z.array(z.string()).describe('the page’s console errors and uncaught exceptions'),
  screenshotBytes: z.number().int().describe('size of the JPEG screenshot; 0 when there is none'),
  screenshotUrl: z
    .string()
    .nullable()
    .describe('where the JPEG is served (authenticated), null when there is none'),
});

export const listIncidentEvidence = defineOperation({
  name: 'incidents.evidence',
  summary: 'What failed browser checks showed during an incident: screenshots and console errors',
  description:
    'The screenshots (JPEG, at most 200 KB, served at `screenshotUrl`) and console errors of the ' +
    'browser check failures that belong to the incident: from shortly before it started until ' +
    'it ended, newest first, at most 20 per monitor. Empty for other check types.',
  input: z.object({ id: incidentId }).strict(),
  output: z.object({ items: z.array(evidenceEntrySchema) }),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/incidents/{id}/evidence' },
  cli: ['incidents', 'evidence'],
  mcp: true,
  offline: true,
  async run({ services }, { id }) {
    const entries = await services.queries.checkEvidence(id);
    return {
      items: entries.map((entry) => ({
        ...entry,
        screenshotUrl:
          entry.screenshotBytes === 0 ? null : evidenceScreenshotPath(id, entry.resultId),
      })),
    };
  },
});

/** The authenticated route serving one evidence screenshot (`api/evidence-routes.ts`). */
function evidenceScreenshotPath(incidentId: string, resultId: string): string {
  return `/api/v1/incidents/${encodeURIComponent(incidentId)}/evidence/${encodeURIComponent(resultId)}/screenshot`;
}
