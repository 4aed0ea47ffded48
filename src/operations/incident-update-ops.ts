import { z } from 'zod';
import { INCIDENT_UPDATE_STATUSES, MAX_UPDATE_MESSAGE_LENGTH } from '../domain/status-page.ts';
import { boolParam, defineOperation, need, pageOf } from './kit.ts';
import { incidentUpdateSchema } from './schemas/status-pages.ts';

const incident = z.string().min(1).describe('incident id');

export const addIncidentUpdate = defineOperation({
  name: 'incidents.updates.add',
  summary: 'Post an update on an incident (public on status pages, or an internal note)',
  description:
    'Public updates (the default) appear with the incident on every status page showing its ' +
    'monitor and in their RSS/Atom feeds; `public: false` keeps it an internal note.',
  input: z
    .object({
      incident,
      status: z.enum(INCIDENT_UPDATE_STATUSES).describe('where the work stands'),
      message: z.string().trim().min(1).max(MAX_UPDATE_MESSAGE_LENGTH),
      public: boolParam.default(true).describe('false: an internal note, never published'),
    })
    .strict(),
  output: incidentUpdateSchema,
  access: 'write',
  destructive: false,
  role: 'editor',
  http: { method: 'POST', path: '/api/v1/incidents/{incident}/updates', status: 201 },
  cli: ['incidents', 'update'],
  mcp: true,
  offline: false,
  async run({ principal, services }, input) {
    return need(services.incidentUpdates, services.unavailableReason).add(input, principal.name);
  },
});

export const listIncidentUpdates = defineOperation({
  name: 'incidents.updates.list',
  summary: 'An incident’s updates, internal notes included, oldest first',
  input: z.object({ incident }).strict(),
  output: pageOf(incidentUpdateSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/incidents/{incident}/updates' },
  cli: ['incidents', 'updates'],
  mcp: true,
  offline: false,
  async run({ services }, { incident: id }) {
    const updates = need(services.incidentUpdates, services.unavailableReason);
    return { items: await updates.list(id), nextCursor: null };
  },
});
