import { z } from 'zod';
import { HOSTNAME_PATTERN, SLUG_PATTERN, statusPageGroupSchema } from '../../domain/status-page.ts';

/** A boolean given as true/false or as text (CLI flags and query strings carry text). */
const boolParam = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);

const slug = z
  .string()
  .trim()
  .regex(SLUG_PATTERN, 'use 1–64 lowercase letters, digits and inner dashes (e.g. acme-prod)')
  .describe('URL segment: the page is served at /status/<slug>');

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(HOSTNAME_PATTERN, 'expected a hostname such as status.example.com (no scheme, no port)');

/** A list of strings given as an array or as comma-separated text (CLI flags, query strings). */
function textList<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .union([
      z.array(z.string()),
      z.string().transform((v) => (v.trim() === '' ? [] : v.split(',').map((s) => s.trim()))),
    ])
    .pipe(z.array(item).max(500));
}

const fields = {
  title: z.string().trim().min(1).max(200).describe('shown at the top of the page'),
  description: z.string().trim().max(2_000).describe('a line under the title ("" clears it)'),
  customDomains: textList(hostname).describe(
    'hostnames whose requests to / get this page (Host header match)',
  ),
  groups: z
    .array(statusPageGroupSchema)
    .max(50)
    .describe('[{ "name": "Web", "monitorIds": ["mon_…"] }] in display order (JSON on the CLI)'),
  showRegions: boolParam.describe('show which regions see a monitor down or degraded'),
  showDetails: boolParam.describe(
    'show internal detail: node names, error messages, check targets (default false)',
  ),
  badgeMonitorIds: textList(z.string().min(1)).describe(
    'monitors with public badges although not on the page',
  ),
};

/** The body of `statuspages.create`. */
export const statusPageCreateSchema = z
  .object({
    slug,
    title: fields.title,
    description: fields.description.optional(),
    customDomains: fields.customDomains.default([]),
    groups: fields.groups.default([]),
    showRegions: fields.showRegions.default(false),
    showDetails: fields.showDetails.default(false),
    badgeMonitorIds: fields.badgeMonitorIds.default([]),
  })
  .strict();

/** The changes of `statuspages.update`: every given field replaces the stored one. */
export const statusPagePatchSchema = z
  .object({
    slug: slug.optional(),
    title: fields.title.optional(),
    description: fields.description.optional(),
    customDomains: fields.customDomains.optional(),
    groups: fields.groups.optional(),
    showRegions: fields.showRegions.optional(),
    showDetails: fields.showDetails.optional(),
    badgeMonitorIds: fields.badgeMonitorIds.optional(),
  })
  .strict();

export type StatusPageCreate = z.output<typeof statusPageCreateSchema>;
export type StatusPagePatch = z.output<typeof statusPagePatchSchema>;
