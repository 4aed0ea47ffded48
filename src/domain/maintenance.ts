import { z } from 'zod';

// A maintenance window: a time when a set of monitors (by id, group or tag) or nodes (by name)
// is expected to fail. Checks keep running and are stored; incidents opened inside one are
// marked with it, alerts are recorded as suppressed (reason `maintenance`) and the window's
// time is left out of uptime. The pure rules (occurrences, lookups) are in `maintenance/`.

const epochMs = z.number().int().min(0);

/** What a window covers; a monitor matches by id, group or any tag, a node by name. */
export const maintenanceScopeSchema = z
  .object({
    monitors: z.array(z.string().min(1)).describe('monitor ids'),
    groups: z.array(z.string().min(1)).describe('every monitor of these groups'),
    tags: z.array(z.string().min(1)).describe('every monitor carrying one of these tags'),
    nodes: z.array(z.string().min(1)).describe('node names: their node alerts are silenced'),
  })
  .refine(
    (s) => s.monitors.length + s.groups.length + s.tags.length + s.nodes.length > 0,
    'an empty scope covers nothing: name at least one monitor, group, tag or node',
  );

/** One fixed period, [startsAt, endsAt). */
export const onceScheduleSchema = z
  .object({
    kind: z.literal('once'),
    startsAt: epochMs.describe('epoch ms, inclusive'),
    endsAt: epochMs.describe('epoch ms, exclusive'),
  })
  .refine((s) => s.endsAt > s.startsAt, { message: 'must be after startsAt', path: ['endsAt'] });

/**
 * A period that repeats: it starts at every time the cron expression names in `timezone`
 * (wall-clock time, so 02:00 stays 02:00 across DST) and lasts `durationMs`. Only occurrences
 * starting in [from, until) count (null: unbounded).
 */
export const recurringScheduleSchema = z.object({
  kind: z.literal('recurring'),
  cron: z.string().min(1).describe('5 fields (minute hour day month weekday) or 6 with seconds'),
  durationMs: z
    .number()
    .int()
    .min(60_000)
    .max(7 * 86_400_000)
    .describe('how long each occurrence lasts (1 min to 7 days)'),
  timezone: z.string().min(1).describe('IANA time zone the cron expression is read in'),
  from: epochMs.nullable().describe('no occurrence starts before this (null: no bound)'),
  until: epochMs.nullable().describe('no occurrence starts at or after this (null: no bound)'),
});

export const maintenanceScheduleSchema = z.discriminatedUnion('kind', [
  onceScheduleSchema,
  recurringScheduleSchema,
]);

export type MaintenanceScope = z.infer<typeof maintenanceScopeSchema>;
export type OnceSchedule = z.infer<typeof onceScheduleSchema>;
export type RecurringSchedule = z.infer<typeof recurringScheduleSchema>;
export type MaintenanceSchedule = z.infer<typeof maintenanceScheduleSchema>;

export interface MaintenanceWindow {
  id: string;
  /** Unique; the CLI takes a name or an id. */
  name: string;
  scope: MaintenanceScope;
  schedule: MaintenanceSchedule;
  reason: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What an incident or a suppressed alert names: the window it happened in. */
export interface MaintenanceRef {
  id: string;
  name: string;
}

/** One occurrence of a window: [start, end) in epoch ms. */
export interface Occurrence {
  start: number;
  end: number;
}

/** What a window can cover at a moment: a monitor (by id, group, tags) or a node (by name). */
export type MaintenanceSubject =
  | { kind: 'monitor'; id: string; group: string | null; tags: readonly string[] }
  | { kind: 'node'; name: string };

/** The coordinator's lookup: the window covering a subject at a time, or null. */
export type InMaintenance = (subject: MaintenanceSubject, at: number) => MaintenanceRef | null;

/** The alert reason of a delivery recorded suppressed because of a maintenance window. */
export const MAINTENANCE_REASON = 'maintenance';
