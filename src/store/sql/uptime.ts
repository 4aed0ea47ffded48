import type { Expression, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { UptimeSummary } from '../types.ts';
import { HOUR_MS, bucketStartOf } from './bucket-figures.ts';
import { IN_LIST_CHUNK } from './chunks.ts';
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
 * Two grouped queries serve every monitor and window. Up to IN_LIST_CHUNK ids are filtered in
 * SQL; a larger list (a status page of every monitor) is filtered after grouping instead.
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
    const filter = ids.length <= IN_LIST_CHUNK ? ids : null;
    // One snapshot, so a rollup cannot move results between the two sources mid-read.
    await db.transaction().execute(async (trx) => {
      const watermark = await readWatermark(trx);
      addRows(tallies, await hourTotals(trx, starts, end, filter));
      addRows(tallies, await pendingTotals(trx, starts, end, watermark, filter));
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
  filter: readonly string[] | null,
): Promise<TotalsRow[]> {
  let query = db
    .selectFrom('rollup_hour')
    .select((eb) => [
      'monitor_id',
      ...starts.flatMap((start, i) => [
        sumSince('bucket_start', start, eb.ref('count')).as(`t${i}`),
        sumSince('bucket_start', start, eb.ref('failures')).as(`f${i}`),
      ]),
    ])
    .where('bucket_start', '>=', Math.min(...starts))
    .where('bucket_start', '<', end)
    .groupBy('monitor_id');
  if (filter !== null) query = query.where('monitor_id', 'in', filter);
  return await query.execute();
}

const isDown = sql<number>`case when status = 'down' then 1 else 0 end`;

async function pendingTotals(
  db: Kysely<Database>,
  starts: readonly number[],
  end: number,
  watermark: number,
  filter: readonly string[] | null,
): Promise<TotalsRow[]> {
  let query = db
    .selectFrom('results')
    .select([
      'monitor_id',
      ...starts.flatMap((start, i) => [
        sumSince('checked_at', start, sql.lit(1)).as(`t${i}`),
        sumSince('checked_at', start, isDown).as(`f${i}`),
      ]),
    ])
    .where('seq', '>', watermark)
    .where('checked_at', '>=', Math.min(...starts))
    .where('checked_at', '<', end)
    .groupBy('monitor_id');
  if (filter !== null) query = query.where('monitor_id', 'in', filter);
  return await query.execute();
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
