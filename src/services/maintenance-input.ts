import { z } from 'zod';
import type { MaintenanceSchedule, MaintenanceScope } from '../domain/maintenance.ts';
import { maintenanceScheduleSchema, maintenanceScopeSchema } from '../domain/maintenance.ts';
import { parseDuration } from '../lib/duration.ts';
import type { FieldIssue } from '../lib/errors.ts';
import { validationError } from '../lib/errors.ts';
import { recurrenceIssues } from '../maintenance/windows.ts';

/** A time as epoch ms or an ISO 8601 text with its offset (`2026-06-01T22:00:00+02:00`). */
const instant = z.union([z.number().int().min(0), z.string().min(1)]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  const iso = typeof value === 'number' || /(Z|[+-]\d\d:?\d\d)$/i.test(value.trim());
  if (Number.isNaN(ms) || !iso) {
    ctx.addIssue({
      code: 'custom',
      message: `expected epoch ms or an ISO 8601 time with Z or an offset, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return ms;
});

const duration = z.union([z.number().int(), z.string().min(1)]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 30m or 2h, got ${value}` });
    return z.NEVER;
  }
  return ms;
});

const names = z.array(z.string().trim().min(1).max(200)).max(500).default([]);

/**
 * The body of `maintenance.create`, flat so CLI flags and MCP arguments map onto it: either
 * `startsAt` + `endsAt` (one-off), or `cron` + `durationMs` + `timezone` (recurring).
 */
export const maintenanceInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    monitors: names.describe('monitor ids'),
    groups: names.describe('monitor groups'),
    tags: names.describe('monitor tags'),
    nodes: names.describe('node names (their node alerts are silenced)'),
    startsAt: instant.optional().describe('one-off: start (epoch ms or ISO 8601)'),
    endsAt: instant.optional().describe('one-off: end (epoch ms or ISO 8601)'),
    cron: z.string().trim().min(1).max(200).optional().describe('recurring: cron expression'),
    durationMs: duration.optional().describe('recurring: how long each occurrence lasts (2h)'),
    timezone: z.string().trim().min(1).max(100).optional().describe('recurring: IANA zone (UTC)'),
    from: instant.optional().describe('recurring: no occurrence starts before this'),
    until: instant.optional().describe('recurring: no occurrence starts at or after this'),
    reason: z.string().trim().max(1_000).optional(),
  })
  .strict();

export type MaintenanceInput = z.output<typeof maintenanceInputSchema>;

/** The validated scope and schedule of an input; every problem reported at once. */
export function windowFromInput(input: MaintenanceInput): {
  scope: MaintenanceScope;
  schedule: MaintenanceSchedule;
} {
  const issues: FieldIssue[] = [];
  const scope = maintenanceScopeSchema.safeParse({
    monitors: input.monitors,
    groups: input.groups,
    tags: input.tags,
    nodes: input.nodes,
  });
  if (!scope.success) issues.push(...zodIssues(scope.error, 'scope'));
  const once = input.startsAt !== undefined || input.endsAt !== undefined;
  const recurring = input.cron !== undefined;
  if (once === recurring) {
    issues.push({
      path: 'schedule',
      message: 'give either startsAt and endsAt (one-off) or cron and durationMs (recurring)',
    });
    throw validationError(issues);
  }
  const draft = once
    ? { kind: 'once', startsAt: input.startsAt, endsAt: input.endsAt }
    : {
        kind: 'recurring',
        cron: input.cron,
        durationMs: input.durationMs,
        timezone: input.timezone ?? 'UTC',
        from: input.from ?? null,
        until: input.until ?? null,
      };
  const schedule = maintenanceScheduleSchema.safeParse(draft);
  if (!schedule.success) issues.push(...zodIssues(schedule.error, 'schedule'));
  if (schedule.success && schedule.data.kind === 'recurring')
    issues.push(...recurrenceIssues(schedule.data.cron, schedule.data.timezone));
  if (issues.length > 0 || !scope.success || !schedule.success) throw validationError(issues);
  return { scope: scope.data, schedule: schedule.data };
}

function zodIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
}
