/**
 * Achieved vs planned checks and start lag per node over a window, read from a cluster's shared
 * PostgreSQL database (`raw_results` with its monitor and node keys). The same grid math as
 * `schedule-accuracy.ts` (the scheduler's own `plan.ts`): a result's slot is the last grid
 * point at or before its start, and the expected count per node is exact for monitors every
 * node runs.
 */
import pg from 'pg';
import { lastRunAtOrBefore, nextRunAfter, phaseOffset } from '../../src/scheduler/plan.ts';
import type { Distribution } from './stats.ts';
import { distribution, round } from './stats.ts';

/** One node's checks in the window. */
export interface NodeSchedule {
  nodeId: string;
  expectedChecks: number;
  achievedChecks: number;
  expectedPerSecond: number;
  achievedPerSecond: number;
  achievedPercent: number;
  lagMs: Distribution;
  notUp: number;
}

/** Per node that stored results in (from, to], against the grid of every unpaused monitor. */
export async function postgresScheduleAccuracy(
  url: string,
  from: number,
  to: number,
): Promise<NodeSchedule[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const monitors = await client.query<{ key: number; id: string; interval_ms: string }>(
      `select k.key, m.id, m.interval_ms from monitors m
         join monitor_keys k on k.monitor_id = m.id where m.paused = 0`,
    );
    const plans = new Map<number, { intervalMs: number; phaseMs: number }>();
    let expected = 0;
    let maxInterval = 0;
    for (const row of monitors.rows) {
      const intervalMs = Number(row.interval_ms);
      const phaseMs = phaseOffset(row.id, intervalMs);
      plans.set(row.key, { intervalMs, phaseMs });
      maxInterval = Math.max(maxInterval, intervalMs);
      const first = nextRunAfter(from, intervalMs, phaseMs);
      if (first <= to) expected += 1 + Math.floor((to - first) / intervalMs);
    }
    const results = await client.query<{
      monitor_key: number;
      node_id: string;
      checked_at: string;
      status: number;
    }>(
      `select r.monitor_key, n.node_id, r.checked_at, r.status from raw_results r
         join node_keys n on n.key = r.node_key
        where r.checked_at > $1 and r.checked_at <= $2`,
      [from, to + maxInterval],
    );
    const perNode = new Map<string, { lags: number[]; notUp: number }>();
    const up = results.rows.length > 0 ? mostCommonStatus(results.rows) : 0;
    for (const row of results.rows) {
      const plan = plans.get(row.monitor_key);
      if (!plan) continue;
      const checkedAt = Number(row.checked_at);
      const slot = lastRunAtOrBefore(checkedAt, plan.intervalMs, plan.phaseMs);
      if (slot <= from || slot > to) continue;
      const entry = perNode.get(row.node_id) ?? { lags: [], notUp: 0 };
      entry.lags.push(checkedAt - slot);
      if (row.status !== up) entry.notUp++;
      perNode.set(row.node_id, entry);
    }
    const windowMs = to - from;
    return [...perNode].map(([nodeId, { lags, notUp }]) => ({
      nodeId,
      expectedChecks: expected,
      achievedChecks: lags.length,
      expectedPerSecond: round((expected / windowMs) * 1000, 1),
      achievedPerSecond: round((lags.length / windowMs) * 1000, 1),
      achievedPercent: expected > 0 ? round((lags.length / expected) * 100) : 0,
      lagMs: distribution(lags),
      notUp,
    }));
  } finally {
    await client.end();
  }
}

/**
 * The status code most results carry: against a healthy loopback target that is `up`, and the
 * bench need not depend on the store's private status encoding.
 */
function mostCommonStatus(rows: readonly { status: number }[]): number {
  const counts = new Map<number, number>();
  for (const { status } of rows) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}
