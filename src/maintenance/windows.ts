import type {
  MaintenanceScope,
  MaintenanceSubject,
  MaintenanceWindow,
  Occurrence,
  RecurringSchedule,
} from '../domain/maintenance.ts';
import type { Interval } from '../domain/uptime.ts';
import { mergeIntervals } from '../domain/uptime.ts';
import { compileCron, cronIssues } from '../lib/cron.ts';
import type { FieldIssue } from '../lib/errors.ts';

/**
 * The pure rules of maintenance windows: when a window occurs, whether it covers a monitor or a
 * node at a moment, and the time it removes from uptime. Recurring windows are read with
 * croner (`lib/cron.ts`, shared with push monitors) in the window's time zone, so "02:30 every
 * night" is wall-clock time, with croner's DST rule.
 */

/**
 * At most this many occurrences per window per query: each costs a time zone conversion
 * (~0.2 ms), so a minutely cron over months must not stall the coordinator. A nightly window
 * over 400 days is 400.
 */
export const MAX_OCCURRENCES = 5_000;

/** Problems with a recurrence (paths `schedule.cron`, `schedule.timezone`); empty when valid. */
export function recurrenceIssues(cron: string, timezone: string): FieldIssue[] {
  return cronIssues(cron, timezone, { cron: 'schedule.cron', timezone: 'schedule.timezone' });
}

/** Occurrences of a window that overlap [from, to), oldest first, not clipped, bounded. */
export function occurrences(window: MaintenanceWindow, from: number, to: number): Occurrence[] {
  const schedule = window.schedule;
  if (schedule.kind === 'once') {
    const overlaps = schedule.startsAt < to && schedule.endsAt > from;
    return overlaps ? [{ start: schedule.startsAt, end: schedule.endsAt }] : [];
  }
  // One that started before `from` still covers it if it had not ended by then.
  return recurringStarts(schedule, from - schedule.durationMs, to, MAX_OCCURRENCES).map(
    (start) => ({
      start,
      end: start + schedule.durationMs,
    }),
  );
}

/** Up to `limit` starts in (after, before), within the schedule's [from, until) bounds. */
function recurringStarts(
  schedule: RecurringSchedule,
  after: number,
  before: number,
  limit: number,
): number[] {
  const end = Math.min(before, schedule.until ?? Infinity);
  // `from` is inclusive and croner looks strictly after its cursor: start 1 ms earlier.
  let cursor = Math.max(after, (schedule.from ?? -Infinity) - 1);
  if (cursor >= end) return [];
  const job = compileCron(schedule.cron, schedule.timezone);
  const starts: number[] = [];
  while (starts.length < limit) {
    const next = job.nextRun(new Date(cursor))?.getTime();
    if (next === undefined || next >= end) break;
    starts.push(next);
    cursor = next;
  }
  return starts;
}

/** The occurrence in progress at `after` (start ≤ after < end), else the next one; null when none is left. */
export function nextOccurrence(window: MaintenanceWindow, after: number): Occurrence | null {
  const current = occurrences(window, after, after + 1);
  const ongoing = current.at(-1);
  if (ongoing !== undefined) return ongoing;
  const schedule = window.schedule;
  if (schedule.kind === 'once')
    return schedule.startsAt > after ? { start: schedule.startsAt, end: schedule.endsAt } : null;
  const [start] = recurringStarts(schedule, after, Infinity, 1);
  return start === undefined ? null : { start, end: start + schedule.durationMs };
}

/** Whether a window's scope names the subject: a monitor by id, group or any tag, a node by name. */
export function covers(scope: MaintenanceScope, subject: MaintenanceSubject): boolean {
  if (subject.kind === 'node') return scope.nodes.includes(subject.name);
  return (
    scope.monitors.includes(subject.id) ||
    (subject.group !== null && scope.groups.includes(subject.group)) ||
    subject.tags.some((tag) => scope.tags.includes(tag))
  );
}

/** A window covering a subject now, with the occurrence that does. */
export interface ActiveMaintenance {
  window: MaintenanceWindow;
  occurrence: Occurrence;
}

/**
 * The window covering the subject at `at`, or null. When several do, the one whose occurrence
 * ends last (then by name), so "in maintenance until" is the latest end.
 */
export function activeWindow(
  windows: readonly MaintenanceWindow[],
  subject: MaintenanceSubject,
  at: number,
): ActiveMaintenance | null {
  let best: ActiveMaintenance | null = null;
  for (const window of windows) {
    if (!covers(window.scope, subject)) continue;
    for (const occurrence of occurrences(window, at, at + 1)) {
      if (best === null || isBetter({ window, occurrence }, best)) best = { window, occurrence };
    }
  }
  return best;
}

function isBetter(a: ActiveMaintenance, b: ActiveMaintenance): boolean {
  if (a.occurrence.end !== b.occurrence.end) return a.occurrence.end > b.occurrence.end;
  return a.window.name < b.window.name;
}

/**
 * The time the subject spent in maintenance within [from, to): sorted, merged, clipped. Uptime
 * removes it from both the observed time and the downtime.
 */
export function maintenanceIntervals(
  windows: readonly MaintenanceWindow[],
  subject: MaintenanceSubject,
  from: number,
  to: number,
): Interval[] {
  return windowIntervals(
    windows.filter((w) => covers(w.scope, subject)),
    from,
    to,
  );
}

/** Every occurrence of the windows within [from, to), merged and clipped (scope ignored). */
export function windowIntervals(
  windows: readonly MaintenanceWindow[],
  from: number,
  to: number,
): Interval[] {
  if (to <= from) return [];
  const spans = windows.flatMap((w) =>
    occurrences(w, from, to).map((o) => ({
      from: Math.max(o.start, from),
      to: Math.min(o.end, to),
    })),
  );
  return mergeIntervals(spans);
}

/**
 * `maintenanceIntervals` of many subjects over one span, each window's occurrences computed
 * once (a recurring window's occurrences cost a time zone conversion each): the same merged
 * intervals for every subject, at one cover test per window.
 */
export function maintenanceLookup(
  windows: readonly MaintenanceWindow[],
  from: number,
  to: number,
): (subject: MaintenanceSubject) => Interval[] {
  if (windows.length === 0 || to <= from) return () => [];
  const spans = windows.map((window) => ({
    scope: window.scope,
    spans: occurrences(window, from, to).map((o) => ({
      from: Math.max(o.start, from),
      to: Math.min(o.end, to),
    })),
  }));
  return (subject) =>
    mergeIntervals(spans.flatMap((w) => (covers(w.scope, subject) ? w.spans : [])));
}
