import { z } from 'zod';
import type { Incident } from '../../domain/incident.ts';
import type { IncidentUpdate, StatusPage } from '../../domain/status-page.ts';
import { INCIDENT_UPDATE_STATUSES } from '../../domain/status-page.ts';
import type { Agreement, Expect } from './agreement.ts';
import { managedByField, warningsField } from './managed.ts';
import { incidentSchema } from './incidents.ts';
import { epochMs } from './results.ts';

/** A public status page's settings (the page itself is served at /status/<slug>). */
export const statusPageSchema = z.object({
  id: z.string(),
  slug: z.string().describe('served at /status/<slug>'),
  title: z.string(),
  description: z.string().nullable(),
  customDomains: z.array(z.string()).describe('hostnames whose requests to / get this page'),
  groups: z.array(z.object({ name: z.string(), monitorIds: z.array(z.string()) })),
  showRegions: z.boolean().describe('shows which regions see a monitor down or degraded'),
  showDetails: z.boolean().describe('shows node names, error messages and check targets'),
  badgeMonitorIds: z.array(z.string()).describe('monitors with badges although not on the page'),
  createdAt: epochMs,
  updatedAt: epochMs,
});

/** One update of an incident; `public: false` is an internal note. */
export const incidentUpdateSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  status: z.enum(INCIDENT_UPDATE_STATUSES),
  message: z.string(),
  public: z.boolean().describe('false: an internal note, never on a status page or feed'),
  author: z.string().describe('the user who wrote it'),
  createdAt: epochMs,
});

export type StatusPageAgrees = Expect<Agreement<typeof statusPageSchema, StatusPage>>;

/** As read: with the config file that manages it, if one does. */
export const managedStatusPageSchema = statusPageSchema.extend({ managedBy: managedByField });
/** After an edit: with a warning when a config file manages it (its next apply undoes the edit). */
export const editedStatusPageSchema = statusPageSchema.extend({ warnings: warningsField });
/** An incident in the timeline: with its newest update or note (null when none). */
export const incidentListItemSchema = incidentSchema.extend({
  latestUpdate: incidentUpdateSchema.nullable().describe('its newest update or note'),
});

export type IncidentListItemAgrees = Expect<
  Agreement<typeof incidentListItemSchema, Incident & { latestUpdate: IncidentUpdate | null }>
>;
export type IncidentUpdateAgrees = Expect<Agreement<typeof incidentUpdateSchema, IncidentUpdate>>;
