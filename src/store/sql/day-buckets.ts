import type { Insertable, Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { RollupBucket } from '../types.ts';
import { insertChunks } from './chunks.ts';
import { rowToBucket } from './rows.ts';
import type { Database, HourPrefixColumns, RollupDayTable } from './schema.ts';

export const HOURS_PER_DAY = 24;

/** A day bucket with its counts split by hour, as rollup and uptime see it. */
export interface DayBucket extends RollupBucket {
  /** Results in each UTC hour 00–23 of the day (24 entries). */
  hourCounts: number[];
  /** Failures (results with status `down`) in each UTC hour 00–23 of the day. */
  hourFailures: number[];
}

/** Writes day buckets inside the caller's transaction, replacing any stored for the same key. */
export type DayUpserter = (db: Kysely<Database>, buckets: readonly DayBucket[]) => Promise<void>;

/** What a running total counts: results or failures. */
export type PrefixKind = 'count' | 'failures';

/** Column of the running total before `hour`:00 (1–23) of the day. */
export function prefixColumn(kind: PrefixKind, hour: number): keyof HourPrefixColumns {
  // The template yields exactly the names HourPrefixColumns declares for hours 1–23.
  return `${kind}_before_h${String(hour).padStart(2, '0')}` as keyof HourPrefixColumns;
}

const prefixColumns = (kind: PrefixKind) =>
  Array.from({ length: HOURS_PER_DAY - 1 }, (_, i) => prefixColumn(kind, i + 1));

/** Every column of a day row but the key, in the order of `dayRowValues`. */
export const DAY_VALUE_COLUMNS = [
  'count',
  'failures',
  'degraded',
  'latency_p50',
  'latency_p95',
  'latency_max',
  ...prefixColumns('count'),
  ...prefixColumns('failures'),
] as const;

/** Every column of a day row, key first, in the order of `dayRowValues`. */
export const DAY_COLUMNS = ['monitor_id', 'bucket_start', ...DAY_VALUE_COLUMNS] as const;

/** An empty hour split (every hour zero). */
export function emptyHours(): number[] {
  return new Array<number>(HOURS_PER_DAY).fill(0);
}

/** A day bucket's column values in DAY_COLUMNS order; per-hour counts become running totals. */
export function dayRowValues(bucket: DayBucket): (string | number | null)[] {
  return [
    bucket.monitorId,
    bucket.bucketStart,
    bucket.count,
    bucket.failures,
    bucket.degraded,
    bucket.latencyP50,
    bucket.latencyP95,
    bucket.latencyMax,
    ...runningTotals(bucket.hourCounts),
    ...runningTotals(bucket.hourFailures),
  ];
}

/** Totals before hours 1–23: [h0, h0+h1, …, h0+…+h22]. */
function runningTotals(perHour: readonly number[]): number[] {
  const totals: number[] = [];
  let before = 0;
  for (let hour = 1; hour < HOURS_PER_DAY; hour++) {
    before += perHour[hour - 1] ?? 0;
    totals.push(before);
  }
  return totals;
}

/** Day bucket → row (as Kysely inserts it). */
export function dayToRow(bucket: DayBucket): Insertable<RollupDayTable> {
  const values = dayRowValues(bucket);
  // DAY_COLUMNS names every column of RollupDayTable, each with its value's type.
  return Object.fromEntries(
    DAY_COLUMNS.map((column, i) => [column, values[i]]),
  ) as Insertable<RollupDayTable>;
}

/** Row → day bucket: running totals become per-hour counts. */
export function rowToDay(row: Selectable<RollupDayTable>): DayBucket {
  const perHour = (kind: PrefixKind): number[] => {
    const before = (hour: number): number => {
      if (hour === 0) return 0;
      if (hour === HOURS_PER_DAY) return Number(row[kind]);
      return Number(row[prefixColumn(kind, hour)]);
    };
    return Array.from({ length: HOURS_PER_DAY }, (_, hour) => before(hour + 1) - before(hour));
  };
  return { ...rowToBucket(row), hourCounts: perHour('count'), hourFailures: perHour('failures') };
}

/** The portable day writer: multi-row INSERT … ON CONFLICT (monitor_id, bucket_start) DO UPDATE. */
export const upsertDayBucketsWithKysely: DayUpserter = async (db, buckets) => {
  const excluded = Object.fromEntries(
    DAY_VALUE_COLUMNS.map((column) => [column, sql.ref(`excluded.${column}`)]),
  );
  for (const chunk of insertChunks(buckets.map(dayToRow))) {
    await db
      .insertInto('rollup_day')
      .values(chunk)
      .onConflict((oc) => oc.columns(['monitor_id', 'bucket_start']).doUpdateSet(excluded))
      .execute();
  }
};
