import type { Expression, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { UptimeSummary } from '../types.ts';
import { HOUR_MS, bucketStartOf } from './bucket-figures.ts';
import { chunked, IN_LIST_CHUNK } from './chunks.ts';
import { readWatermark } from './meta.ts';
import type { Database } from './schema.ts';

interface Tally {
  total: number;
  failures: number;
}

/**
 * Uptime per window for each monitor, from hour buckets plus raw results not yet rolled up.
 *
 * Approximation: a window counts whole hour buckets, so it starts at the first hour boundary
 * at or after `now - window` (up to one hour of the window's oldest edge is left out) and
 * ends with the hour that holds `now`. Raw results use the same boundaries, so rolled-up and
 * pending results are counted over the same span, each exactly once.
 *
 * Queries, whatever the number of monitors: hour buckets are read through their primary key
 * with an `IN` list per IN_LIST_CHUNK ids (two queries for 10,000 monitors), so the cost
 * follows the rows inside the window, not the hour table's 400-day retention. Pending raw
 * results are one query over the `seq > watermark` range of every monitor (only about one
 * rollup interval's worth), grouped and then filtered here; filtering them by monitor in
 * SQL would invite the planner to walk each monitor's whole result history instead.
 */
export async function uptime(
  db: Kysely<Database>,
  monitorIds: readonly string[],
  windowsMs: readonly number[],
  now: number,
): Promise<Map<string, UptimeSummary[]>> {
  const ids = [...new Set(monitorIds)];
  const tallies = new Map(ids.map((id) => [id, windowsMs.map(() => ({ total: 0, failures: 0 }))]));
  if (ids.length > 0 && windowsMs.length > 0) {
    const starts = windowsMs.map((w) => bucketStartOf(now - w + HOUR_MS - 1, HOUR_MS));
    const end = bucketStartOf(now, HOUR_MS) + HOUR_MS;
    // One snapshot, so a rollup cannot move results between the two sources mid-read.
    await db.transaction().execute(async (trx) => {
      const watermark = await readWatermark(trx);
      for (const chunk of chunked(ids, IN_LIST_CHUNK)) {
        addRows(tallies, await hourTotals(trx, starts, end, chunk));
      }
      addRows(tallies, await pendingTotals(trx, starts, end, watermark));
    });
  }
  const summaries = new Map<string, UptimeSummary[]>();
  for (const [id, windows] of tallies) summaries.set(id, windows.map(toSummary));
  return summaries;
}

type TotalsRow = Record<string, unknown> & { monitor_id: string };

async function hourTotals(
  db: Kysely<Database>,
  starts: readonly number[],
  end: number,
  monitorIds: readonly string[],
): Promise<TotalsRow[]> {
  return await db
    .selectFrom('rollup_hour')
    .select((eb) => [
      'monitor_id',
      ...starts.flatMap((start, i) => [
        sumSince('bucket_start', start, eb.ref('count')).as(`t${i}`),
        sumSince('bucket_start', start, eb.ref('failures')).as(`f${i}`),
      ]),
    ])
    .where('monitor_id', 'in', monitorIds)
    .where('bucket_start', '>=', Math.min(...starts))
    .where('bucket_start', '<', end)
    .groupBy('monitor_id')
    .execute();
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
          .where('seq', '>', watermark),
    )
    .selectFrom('pending')
    .select([
      'monitor_id',
      ...starts.flatMap((start, i) => [
        sumSince('checked_at', start, sql.lit(1)).as(`t${i}`),
        sumSince('checked_at', start, isDown).as(`f${i}`),
      ]),
    ])
    .where('checked_at', '>=', Math.min(...starts))
    .where('checked_at', '<', end)
    .groupBy('monitor_id')
    .execute();
}

/** `sum(case when <column> >= start then <value> else 0 end)`. */
function sumSince(column: 'bucket_start' | 'checked_at', start: number, value: Expression<number>) {
  return sql<number>`sum(case when ${sql.ref(column)} >= ${start} then ${value} else 0 end)`;
}

function addRows(tallies: Map<string, Tally[]>, rows: readonly TotalsRow[]): void {
  for (const row of rows) {
    const windows = tallies.get(row.monitor_id);
    if (windows === undefined) continue;
    windows.forEach((tally, i) => {
      tally.total += Number(row[`t${i}`] ?? 0);
      tally.failures += Number(row[`f${i}`] ?? 0);
    });
  }
}

function toSummary({ total, failures }: Tally): UptimeSummary {
  return { total, failures, uptime: total === 0 ? null : (total - failures) / total };
}
