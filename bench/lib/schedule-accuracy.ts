import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { lastRunAtOrBefore, nextRunAfter, phaseOffset } from '../../src/scheduler/plan.ts';
import type { Distribution } from './stats.ts';
import { distribution, round } from './stats.ts';

/** Achieved vs planned checks and start lag over a window, from a data dir's stored results. */
export interface ScheduleAccuracy {
  windowMs: number;
  expectedChecks: number;
  achievedChecks: number;
  expectedPerSecond: number;
  achievedPerSecond: number;
  /** achieved / expected, in percent. */
  achievedPercent: number;
  /** Stored start time (checked_at) minus the grid slot it belongs to, in ms. */
  lagMs: Distribution;
  /** Results in the window that were not `up` (a healthy target should give none). */
  notUp: number;
  /** Checks that started more than 250 ms after their slot. */
  lateOver250Ms: number;
  /**
   * The seconds of the window (offset from its start) with the most late starts: one block
   * of the event loop shows as one or two seconds, general overload as many.
   */
  worstSeconds: { second: number; late: number; maxLagMs: number }[];
}

/**
 * Reads every result whose planned slot lies in (from, to] and compares it with the slots the
 * grid plans in that window. A result's slot is the last grid point at or before its start, so
 * this holds while lag stays below one interval (a lag that large is a failure anyway). Both
 * sides use the scheduler's own grid math (`plan.ts`), so the expected count is exact.
 */
export function scheduleAccuracy(
  dataDir: string,
  from: number,
  to: number,
  /** Only monitors whose id passes (e.g. those running before a bulk create added others). */
  includeMonitor: (id: string) => boolean = () => true,
): ScheduleAccuracy {
  const db = new BetterSqlite3(path.join(dataDir, 'crosscheck.db'), { readonly: true });
  try {
    const monitors = db
      .prepare('select id, interval_ms as intervalMs from monitors where paused = 0')
      .all() as { id: string; intervalMs: number }[];
    const phases = new Map<string, { intervalMs: number; phaseMs: number }>();
    let expected = 0;
    let maxInterval = 0;
    for (const { id, intervalMs } of monitors) {
      if (!includeMonitor(id)) continue;
      const phaseMs = phaseOffset(id, intervalMs);
      phases.set(id, { intervalMs, phaseMs });
      maxInterval = Math.max(maxInterval, intervalMs);
      const first = nextRunAfter(from, intervalMs, phaseMs);
      if (first <= to) expected += 1 + Math.floor((to - first) / intervalMs);
    }
    const rows = db
      .prepare(
        `select monitor_id as monitorId, checked_at as checkedAt, status from results
         where checked_at > ? and checked_at <= ?`,
      )
      .all(from, to + maxInterval) as { monitorId: string; checkedAt: number; status: string }[];
    const lags: number[] = [];
    let notUp = 0;
    const perSecond = new Map<number, { late: number; maxLagMs: number }>();
    for (const row of rows) {
      const plan = phases.get(row.monitorId);
      if (!plan) continue;
      const slot = lastRunAtOrBefore(row.checkedAt, plan.intervalMs, plan.phaseMs);
      if (slot <= from || slot > to) continue;
      const lag = row.checkedAt - slot;
      lags.push(lag);
      if (row.status !== 'up') notUp++;
      if (lag > 250) {
        const second = Math.floor((slot - from) / 1000);
        const entry = perSecond.get(second) ?? { late: 0, maxLagMs: 0 };
        entry.late++;
        entry.maxLagMs = Math.max(entry.maxLagMs, lag);
        perSecond.set(second, entry);
      }
    }
    const windowMs = to - from;
    return {
      windowMs,
      expectedChecks: expected,
      achievedChecks: lags.length,
      expectedPerSecond: round((expected / windowMs) * 1000, 1),
      achievedPerSecond: round((lags.length / windowMs) * 1000, 1),
      achievedPercent: expected > 0 ? round((lags.length / expected) * 100) : 0,
      lagMs: distribution(lags),
      notUp,
      lateOver250Ms: [...perSecond.values()].reduce((sum, entry) => sum + entry.late, 0),
      worstSeconds: [...perSecond.entries()]
        .map(([second, entry]) => ({ second, ...entry }))
        .sort((a, b) => b.late - a.late)
        .slice(0, 3),
    };
  } finally {
    db.close();
  }
}

/** Results stored with `checked_at` in (from, to], and how many of them were not `up`. */
export function resultsBetween(
  dataDir: string,
  from: number,
  to: number,
): { total: number; notUp: number } {
  const db = new BetterSqlite3(path.join(dataDir, 'crosscheck.db'), { readonly: true });
  try {
    return db
      .prepare(
        `select count(*) as total, coalesce(sum(status != 'up'), 0) as notUp from results
         where checked_at > ? and checked_at <= ?`,
      )
      .get(from, to) as { total: number; notUp: number };
  } finally {
    db.close();
  }
}
