import type { Expression, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ResultCounts } from '../types.ts';
import { chunked, IN_LIST_CHUNK } from './chunks.ts';
import type { PrefixKind } from './day-buckets.ts';
import { HOURS_PER_DAY, prefixColumn } from './day-buckets.ts';
import { readWatermark } from './meta.ts';
import type { Database } from './schema.ts';
import type { DayPart, DaySegment } from './uptime-plan.ts';
import { planUptime, windowEnd, windowStart } from './uptime-plan.ts';

type Tally = ResultCounts;

/**
 * Result and failure counts per window for each monitor, from day buckets plus raw results not
 * yet rolled up. These are the checks' own record, not uptime (`uptime.ts`): a node's local
 * failures are counted here although no incident confirmed them.
 *
 * Granularity: a window counts whole hours, so it starts at the first hour boundary at or
 * after `now - window` (up to one hour of the window's oldest edge is left out) and ends
 * with the hour that holds `now`. Rolled-up results come from the day buckets: whole UTC
 * days from their totals, the hours of a partly covered day from its running totals (see
 * `planUptime`), which equals summing the window's hour buckets, and stays exact after hour
 * buckets are pruned, for as long as day buckets are kept. Raw results use the same
 * boundaries, so rolled-up and pending results are counted over the same span, each once.
 *
 * Queries, whatever the number of monitors, per IN_LIST_CHUNK ids: one per disjoint run of
 * whole days (two for 24h/7d/30d), read from the narrow `rollup_day_totals` index, and one
 * for the edge days (up to four rows per monitor), by primary key. So the cost follows the
 * days in the longest window (about 31 rows per monitor for 30 days), not its 720 hours
 * (bench/store-uptime.ts). Pending raw results are one query over the `seq > watermark`
 * range of every monitor (only about one rollup interval's worth), grouped and then
 * filtered here; filtering them by monitor in SQL would invite the planner to walk each
 * monitor's whole result history instead.
 */
export async function resultCounts(
  db: Kysely<Database>,
  monitorIds: readonly string[],
  windowsMs: readonly number[],
  now: number,
): Promise<Map<string, ResultCounts[]>> {
  const ids = [...new Set(monitorIds)];
  const tallies = new Map(ids.map((id) => [id, windowsMs.map(() => ({ total: 0, failures: 0 }))]));
  if (ids.length > 0 && windowsMs.length > 0) {
    const starts = windowsMs.map((w) => windowStart(now, w));
    const end = windowEnd(now);
    const plan = planUptime(starts, end);
    // One snapshot, so a rollup cannot move results between the sources mid-read.
    await db.transaction().execute(async (trx) => {
      const watermark = await readWatermark(trx);
      for (const chunk of chunked(ids, IN_LIST_CHUNK)) {
        for (const [i, segment] of plan.segments.entries()) {
          const rows = await segmentTotals(trx, segment, chunk);
          addRows(tallies, rows, (w) => (plan.windows[w]?.segments.includes(i) ? [0] : []));
        }
        if (plan.parts.length > 0) {
          const rows = await partTotals(trx, plan.parts, chunk);
          addRows(tallies, rows, (w) => plan.windows[w]?.parts ?? []);
        }
      }
      const rows = await pendingTotals(trx, starts, end, watermark);
      addRows(tallies, rows, (w) => [w]);
    });
  }
  return tallies;
}

/** Per monitor, sums in columns `t<n>` (results) and `f<n>` (failures). */
type TotalsRow = Record<string, unknown> & { monitor_id: string };

/** Whole days: plain sums, so no per-row CASE in the longest scan. */
async function segmentTotals(
  db: Kysely<Database>,
  segment: DaySegment,
  monitorIds: readonly string[],
): Promise<TotalsRow[]> {
  return await db
    .selectFrom('rollup_day')
    .select((eb) => [
      'monitor_id',
      eb.fn.sum<number>('count').as('t0'),
      eb.fn.sum<number>('failures').as('f0'),
    ])
    .where('monitor_id', 'in', monitorIds)
    .where('bucket_start', '>=', segment.from)
    .where('bucket_start', '<', segment.to)
    .groupBy('monitor_id')
    .execute();
}

/** Hours of partly covered days: one row per monitor and edge day, differences of running totals. */
async function partTotals(
  db: Kysely<Database>,
  parts: readonly DayPart[],
  monitorIds: readonly string[],
): Promise<TotalsRow[]> {
  return await db
    .selectFrom('rollup_day')
    .select([
      'monitor_id',
      ...parts.flatMap((part, i) => [
        sumOnDay(part.day, hoursBetween('count', part)).as(`t${i}`),
        sumOnDay(part.day, hoursBetween('failures', part)).as(`f${i}`),
      ]),
    ])
    .where('monitor_id', 'in', monitorIds)
    .where('bucket_start', 'in', [...new Set(parts.map((p) => p.day))])
    .groupBy('monitor_id')
    .execute();
}

/** Results (or failures) in hours [fromHour, toHour) of a day row: before(to) - before(from). */
function hoursBetween(kind: PrefixKind, part: DayPart): Expression<number> {
  const before = (hour: number) => {
    if (hour === 0) return sql<number>`0`;
    const column = hour === HOURS_PER_DAY ? kind : prefixColumn(kind, hour);
    return sql<number>`${sql.ref(column)}`;
  };
  return sql<number>`(${before(part.toHour)} - ${before(part.fromHour)})`;
}

function sumOnDay(day: number, value: Expression<number>) {
  return sql<number>`sum(case when bucket_start = ${day} then ${value} else 0 end)`;
}

const isDown = sql<number>`case when status = 'down' then 1 else 0 end`;

async function pendingTotals(
  db: Kysely<Database>,
  starts: readonly number[],
  end: number,
  watermark: number,
): Promise<TotalsRow[]> {
  // Materialized, so the `seq > watermark` range is read first. Grouped in one query, the
  // planner prefers walking the (monitor_id, checked_at) index for the GROUP BY, which
  // reads every result ever stored.
  return await db
    .with(
      (cte) => cte('pending').materialized(),
      (qb) =>
        qb
          .selectFrom('results')
          .select(['monitor_id', 'checked_at', 'status'])
          .where('seq', '>', watermark)
          // Node errors are no observation of the target (the rollups leave them out too).
          .where('status', '!=', 'error'),
    )
    .selectFrom('pending')
    .select([
      'monitor_id',
      ...starts.flatMap((start, i) => [
        sumSince(start, sql.lit(1)).as(`t${i}`),
        sumSince(start, isDown).as(`f${i}`),
      ]),
    ])
    .where('checked_at', '>=', Math.min(...starts))
    .where('checked_at', '<', end)
    .groupBy('monitor_id')
    .execute();
}

/** `sum(case when checked_at >= start then <value> else 0 end)`. */
function sumSince(start: number, value: Expression<number>) {
  return sql<number>`sum(case when checked_at >= ${start} then ${value} else 0 end)`;
}

/** Adds each row's `t<n>`/`f<n>` sums to window `w` for every n in `columnsOf(w)`. */
function addRows(
  tallies: Map<string, Tally[]>,
  rows: readonly TotalsRow[],
  columnsOf: (window: number) => readonly number[],
): void {
  for (const row of rows) {
    const windows = tallies.get(row.monitor_id);
    if (windows === undefined) continue;
    windows.forEach((tally, w) => {
      for (const n of columnsOf(w)) {
        tally.total += Number(row[`t${n}`] ?? 0);
        tally.failures += Number(row[`f${n}`] ?? 0);
      }
    });
  }
}
