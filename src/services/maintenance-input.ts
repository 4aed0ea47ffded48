import { z } from 'zod';
import type {
  MaintenanceSchedule,
  MaintenanceScope,
  MaintenanceWindow,
} from '../domain/maintenance.ts';
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

const nameList = z.array(z.string().trim().min(1).max(200)).max(500);
const names = nameList.default([]);

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

/**
 * The body of `maintenance.update`: the fields of `maintenance.create`, each optional. A list
 * given replaces the list; schedule fields merge into the window's schedule of the same kind
 * (one-off fields on a recurring window, or the reverse, switch its kind); `null` clears `from`,
 * `until` and `reason`.
 */
export const maintenanceUpdateSchema = z
  .object({
    id: z.string().min(1).describe('maintenance window id or name'),
    name: z.string().trim().min(1).max(200).optional().describe('a new name'),
    monitors: nameList.optional().describe('monitor ids (replaces the list)'),
    groups: nameList.optional().describe('monitor groups (replaces the list)'),
    tags: nameList.optional().describe('monitor tags (replaces the list)'),
    nodes: nameList.optional().describe('node names (replaces the list)'),
    startsAt: instant.optional().describe('one-off: start (epoch ms or ISO 8601)'),
    endsAt: instant.optional().describe('one-off: end (epoch ms or ISO 8601)'),
    cron: z.string().trim().min(1).max(200).optional().describe('recurring: cron expression'),
    durationMs: duration.optional().describe('recurring: how long each occurrence lasts (2h)'),
    timezone: z.string().trim().min(1).max(100).optional().describe('recurring: IANA zone'),
    from: instant
      .nullable()
      .optional()
      .describe('recurring: no occurrence before this (null: none)'),
    until: instant
      .nullable()
      .optional()
      .describe('recurring: no occurrence from this (null: none)'),
    reason: z.string().trim().max(1_000).nullable().optional().describe('null or empty: none'),
  })
  .strict();

export type MaintenanceUpdate = z.output<typeof maintenanceUpdateSchema>;

const RECURRING_FIELDS = ['cron', 'durationMs', 'timezone', 'from', 'until'] as const;

/** True when the update changes the schedule (so it must not end in the past, as on create). */
export function changesSchedule(patch: MaintenanceUpdate): boolean {
  return (
    patch.startsAt !== undefined ||
    patch.endsAt !== undefined ||
    RECURRING_FIELDS.some((field) => patch[field] !== undefined)
  );
}

/**
 * The create input a window would have after the update, to validate exactly as on create.
 * VALIDATION naming the fields when the update mixes one-off and recurring fields, or turns a
 * one-off window recurring without a cron expression.
 */
export function updatedInput(
  window: MaintenanceWindow,
  patch: MaintenanceUpdate,
): MaintenanceInput {
  const once = patch.startsAt !== undefined || patch.endsAt !== undefined;
  const recurring = RECURRING_FIELDS.filter((field) => patch[field] !== undefined);
  if (once && recurring.length > 0)
    throw validationError(
      recurring.map((field) => ({
        path: field,
        message: 'a one-off window (startsAt, endsAt) has no recurring fields: give one kind',
      })),
    );
  const kind = once ? 'once' : recurring.length > 0 ? 'recurring' : window.schedule.kind;
  const base = window.schedule;
  const scope = {
    name: patch.name ?? window.name,
    monitors: patch.monitors ?? window.scope.monitors,
    groups: patch.groups ?? window.scope.groups,
    tags: patch.tags ?? window.scope.tags,
    nodes: patch.nodes ?? window.scope.nodes,
    ...reasonField(patch.reason === undefined ? window.reason : patch.reason),
  };
  if (kind === 'once') {
    const startsAt = patch.startsAt ?? (base.kind === 'once' ? base.startsAt : undefined);
    const endsAt = patch.endsAt ?? (base.kind === 'once' ? base.endsAt : undefined);
    return { ...scope, ...defined({ startsAt, endsAt }) };
  }
  const old = base.kind === 'recurring' ? base : undefined;
  const cron = patch.cron ?? old?.cron;
  if (cron === undefined)
    throw validationError([
      { path: 'cron', message: 'required to make a one-off window recurring (with durationMs)' },
    ]);
  const from = patch.from === undefined ? (old?.from ?? null) : patch.from;
  const until = patch.until === undefined ? (old?.until ?? null) : patch.until;
  return {
    ...scope,
    cron,
    ...defined({
      durationMs: patch.durationMs ?? old?.durationMs,
      timezone: patch.timezone ?? old?.timezone,
      from: from ?? undefined,
      until: until ?? undefined,
    }),
  };
}

/** The input's reason: absent when there is none (create stores an absent or empty one as null). */
function reasonField(reason: string | null): { reason?: string } {
  return reason === null || reason === '' ? {} : { reason };
}

/** The entries whose value is not undefined (the input type's optional fields are absent). */
function defined<T extends Record<string, number | string | undefined>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

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
