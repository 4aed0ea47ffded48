import type { Kysely } from 'kysely';
import type { RollupBucket } from '../types.ts';
import type { BucketFigures } from './bucket-figures.ts';
import { DAY_MS, HOUR_MS, bucketStartOf, combineFigures, mergeFigures } from './bucket-figures.ts';
import { chunked, IN_LIST_CHUNK } from './chunks.ts';
import type { DayBucket } from './day-buckets.ts';
import { emptyHours, rowToDay } from './day-buckets.ts';
import { rowToBucket } from './rows.ts';
import type { Database } from './schema.ts';

/** An hour bucket that a rollup slice has just rewritten. */
export interface RewrittenHour {
  monitorId: string;
  hourStart: number;
  /** Figures of the slice's new results in that hour; only asked for when its day is merged. */
  added: () => BucketFigures;
}

/**
 * New figures of every day bucket that holds a rewritten hour. A day whose hour buckets are
 * all still kept (it starts at or after `hourHorizon`) is rebuilt from them, so it stays
 * idempotent and its counts, per hour and in total, equal its hour buckets'; the rewritten
 * hours must already be written. An older day may have lost hours to prune, so the slice's
 * new results are added to the stored day instead (see `mergeFigures`).
 *
 * Queries: one per touched UTC day and IN_LIST_CHUNK monitors, reading at most 24 hour rows
 * per monitor through the hour table's primary key. A steady-state rollup touches one day.
 */
export async function rewrittenDays(
  trx: Kysely<Database>,
  hours: readonly RewrittenHour[],
  hourHorizon: number,
): Promise<DayBucket[]> {
  const buckets: DayBucket[] = [];
  for (const [dayStart, byMonitor] of groupByDay(hours)) {
    for (const chunk of chunked([...byMonitor.keys()], IN_LIST_CHUNK)) {
      if (dayStart >= hourHorizon) {
        buckets.push(...(await rebuiltFromHours(trx, dayStart, chunk)));
      } else {
        buckets.push(...(await mergedWithStored(trx, dayStart, chunk, byMonitor)));
      }
    }
  }
  return buckets;
}

/** dayStart → monitorId → rewritten hours of that monitor in that day. */
function groupByDay(hours: readonly RewrittenHour[]): Map<number, Map<string, RewrittenHour[]>> {
  const days = new Map<number, Map<string, RewrittenHour[]>>();
  for (const hour of hours) {
    const dayStart = bucketStartOf(hour.hourStart, DAY_MS);
    const byMonitor = days.get(dayStart) ?? new Map<string, RewrittenHour[]>();
    const list = byMonitor.get(hour.monitorId) ?? [];
    list.push(hour);
    byMonitor.set(hour.monitorId, list);
    days.set(dayStart, byMonitor);
  }
  return days;
}

async function rebuiltFromHours(
  trx: Kysely<Database>,
  dayStart: number,
  monitorIds: readonly string[],
): Promise<DayBucket[]> {
  const rows = await trx
    .selectFrom('rollup_hour')
    .selectAll()
    .where('monitor_id', 'in', monitorIds)
    .where('bucket_start', '>=', dayStart)
    .where('bucket_start', '<', dayStart + DAY_MS)
    .execute();
  const hoursOf = new Map<string, RollupBucket[]>(monitorIds.map((id) => [id, []]));
  for (const row of rows) hoursOf.get(row.monitor_id)?.push(rowToBucket(row));
  return [...hoursOf].map(([monitorId, hours]) => {
    const hourCounts = emptyHours();
    const hourFailures = emptyHours();
    for (const hour of hours) {
      hourCounts[hourOfDay(hour.bucketStart)] = hour.count;
      hourFailures[hourOfDay(hour.bucketStart)] = hour.failures;
    }
    return {
      monitorId,
      bucketStart: dayStart,
      ...combineFigures(hours),
      hourCounts,
      hourFailures,
    };
  });
}

async function mergedWithStored(
  trx: Kysely<Database>,
  dayStart: number,
  monitorIds: readonly string[],
  byMonitor: ReadonlyMap<string, readonly RewrittenHour[]>,
): Promise<DayBucket[]> {
  const rows = await trx
    .selectFrom('rollup_day')
    .selectAll()
    .where('monitor_id', 'in', monitorIds)
    .where('bucket_start', '=', dayStart)
    .execute();
  const stored = new Map(rows.map((row) => [row.monitor_id, rowToDay(row)]));
  return monitorIds.map((monitorId) => {
    const existing = stored.get(monitorId);
    const hourCounts = existing?.hourCounts ?? emptyHours();
    const hourFailures = existing?.hourFailures ?? emptyHours();
    const added: BucketFigures[] = [];
    for (const hour of byMonitor.get(monitorId) ?? []) {
      const figures = hour.added();
      added.push(figures);
      const index = hourOfDay(hour.hourStart);
      hourCounts[index] = (hourCounts[index] ?? 0) + figures.count;
      hourFailures[index] = (hourFailures[index] ?? 0) + figures.failures;
    }
    const sum = combineFigures(added);
    const figures = existing === undefined ? sum : mergeFigures(existing, sum);
    return { monitorId, bucketStart: dayStart, ...figures, hourCounts, hourFailures };
  });
}

function hourOfDay(hourStart: number): number {
  return (hourStart - bucketStartOf(hourStart, DAY_MS)) / HOUR_MS;
}
