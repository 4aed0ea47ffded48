import { z } from 'zod';

// A public status page: chosen monitors in named groups, served without login at /status/<slug>
// (and at / of its custom domains). Internal detail (node names, errors, targets) is shown only
// when `showDetails` is true. Incident updates are what people write about an incident; only
// public ones ever reach a page or its feeds.

/** Lowercase letters, digits and inner dashes: a URL path segment that needs no escaping. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** A DNS hostname (no port, no trailing dot), lowercase: what a Host header is matched against. */
export const HOSTNAME_PATTERN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const statusPageGroupSchema = z
  .object({
    name: z.string().trim().min(1).max(100).describe('heading shown above the monitors'),
    monitorIds: z.array(z.string().min(1)).max(500).describe('monitor ids, in display order'),
  })
  .strict();

export type StatusPageGroup = z.infer<typeof statusPageGroupSchema>;

export interface StatusPage {
  id: string;
  slug: string;
  title: string;
  description: string | null;
  /** Hostnames whose requests to `/` get this page (Host header match, lowercase). */
  customDomains: string[];
  groups: StatusPageGroup[];
  /** Show which regions see each monitor down or degraded. */
  showRegions: boolean;
  /** Show internal detail: node names, error messages and check targets. */
  showDetails: boolean;
  /** Monitors with badges although not on the page (those on the page always have them). */
  badgeMonitorIds: string[];
  createdAt: number;
  updatedAt: number;
}

/** Every monitor a page shows, in display order, each once. */
export function pageMonitorIds(page: Pick<StatusPage, 'groups'>): string[] {
  return [...new Set(page.groups.flatMap((g) => g.monitorIds))];
}

export const INCIDENT_UPDATE_STATUSES = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
] as const;
export type IncidentUpdateStatus = (typeof INCIDENT_UPDATE_STATUSES)[number];

/** Longest update message kept. */
export const MAX_UPDATE_MESSAGE_LENGTH = 5_000;

/** A person's word on an incident; `public: false` is an internal note, never on a page. */
export interface IncidentUpdate {
  id: string;
  incidentId: string;
  status: IncidentUpdateStatus;
  message: string;
  public: boolean;
  /** The user who wrote it (their name). */
  author: string;
  createdAt: number;
}
