import { Cron } from 'croner';
import type { FieldIssue } from './errors.ts';

/**
 * Cron expressions read in an IANA time zone, shared by maintenance windows and push monitors
 * (one parser, one set of messages). Dates only: nothing here schedules a callback. Across DST
 * (croner's fixed-time rule) a time that does not exist (spring forward) moves to the first
 * valid time after the gap, and a time that occurs twice (autumn) happens once, at the first.
 */

/** Where a cron problem is reported: the field paths of the expression and of its time zone. */
export interface CronPaths {
  cron: string;
  timezone: string;
}

/** Problems with a cron expression and its time zone; empty when both are valid. */
export function cronIssues(cron: string, timezone: string, paths: CronPaths): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const zoneOk = isTimeZone(timezone);
  if (!zoneOk) {
    issues.push({
      path: paths.timezone,
      message: `unknown time zone "${timezone}"; use an IANA name such as Europe/Berlin or UTC`,
    });
  }
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    issues.push({
      path: paths.cron,
      message: `"${cron}" has ${fields} field(s); use 5 (minute hour day month weekday) or 6 (seconds first)`,
    });
    return issues;
  }
  try {
    const job = compileCron(cron, zoneOk ? timezone : 'UTC');
    if (job.nextRun(new Date(0)) === null)
      issues.push({ path: paths.cron, message: `"${cron}" never matches a date` });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : '';
    issues.push({ path: paths.cron, message: `"${cron}" is not a cron expression: ${reason}` });
  }
  return issues;
}

/** Whether the runtime knows `name` as an IANA time zone. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A croner job that only computes dates (no callback: nothing is scheduled). */
export function compileCron(cron: string, timezone: string): Cron {
  return new Cron(cron.trim(), { timezone, mode: '5-or-6-parts' });
}

/** The first time the expression names strictly after `after` (epoch ms); null when none. */
export function nextCronRun(job: Cron, after: number): number | null {
  return job.nextRun(new Date(after))?.getTime() ?? null;
}
