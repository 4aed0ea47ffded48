import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { RollupBucket } from '../types.ts';
import type { BucketFigures, RawPoint } from './bucket-figures.ts';
import { HOUR_MS, MINUTE_MS, bucketStartOf, mergeFigures, summarize } from './bucket-figures.ts';
import { chunked } from './chunks.ts';
import { yieldToEventLoop } from './event-loop.ts';
import { META_KEYS, readMetaNumber, readWatermark, writeMetaNumber } from './meta.ts';
import type { DayBucket, DayUpserter } from './day-buckets.ts';
import { upsertBuckets } from './rollup-buckets.ts';
import type { RewrittenHour } from './rollup-days.ts';
import { rewrittenDays } from './rollup-days.ts';
import { rowToBucket } from './rows.ts';
import type { Database } from './schema.ts';

/** Results folded per transaction, so one rollup after a large backlog never holds the writer long. */
const SEQ_SLICE = 50_000;
/** Upper bound on slices per call; whatever is left is picked up by the next call. */
const MAX_SLICES = 1_000;
/**
 * Monitor-hours rebuilt between two yields to the event loop inside a slice. A minute of
 * 10,000 monitors at 30 s is one slice of ~10,000 monitor-hours, about 0.2 s of synchronous
 * SQLite work; without a yield every check due meanwhile started late (bench: lag p99 214 ms).
 * Yielding inside the transaction is safe: Kysely's connection mutex makes other queries wait
 * for it, while timers and sockets (the checks) keep running.
 */
const HOURS_PER_YIELD = 256;
/** Minute or hour buckets per write between two yields. */
const WRITE_CHUNK = 2_000;
/** Monitors whose days are rebuilt between two yields. */
const DAY_MONITORS_PER_PART = 1_000;

/** The rewritten hours split into parts of at most `monitors` monitors, all hours of one monitor together. */
function byMonitorParts(hours: readonly RewrittenHour[], monitors: number): RewrittenHour[][] {
  const byMonitor = new Map<string, RewrittenHour[]>();
  for (const hour of hours) {
    const list = byMonitor.get(hour.monitorId);
    if (list) list.push(hour);
    else byMonitor.set(hour.monitorId, [hour]);
  }
  return chunked([...byMonitor.values()], monitors).map((group) => group.flat());
}

export interface RollupCounts {
  minuteBuckets: number;
  hourBuckets: number;
  dayBuckets: number;
}

/**
 * Folds results with seq above the watermark into minute, hour and day buckets. Every
 * touched minute and hour bucket is rebuilt from raw results with seq up to the new
 * watermark, and every touched day from its hour buckets, which makes the step idempotent
 * and handles late results (an agent's replayed backlog) in old buckets.
 */
export async function rollup(db: Kysely<Database>, upsertDays: DayUpserter): Promise<RollupCounts> {
  // A bucket touched by several slices is counted once.
  const minutes = new Set<string>();
  const hours = new Set<string>();
  const days = new Set<string>();
  for (let slice = 0; slice < MAX_SLICES; slice++) {
    const written = await db.transaction().execute((trx) => rollupSlice(trx, upsertDays));
    if (written === null) break;
    for (const b of written.minuteBuckets) minutes.add(`${b.monitorId}\u0000${b.bucketStart}`);
    for (const b of written.hourBuckets) hours.add(`${b.monitorId}\u0000${b.bucketStart}`);
    for (const b of written.dayBuckets) days.add(`${b.monitorId}\u0000${b.bucketStart}`);
    await yieldToEventLoop();
  }
  return { minuteBuckets: minutes.size, hourBuckets: hours.size, dayBuckets: days.size };
}

interface SliceBuckets {
  minuteBuckets: RollupBucket[];
  hourBuckets: RollupBucket[];
  dayBuckets: DayBucket[];
}

async function rollupSlice(
  trx: Kysely<Database>,
  upsertDays: DayUpserter,
): Promise<SliceBuckets | null> {
  const watermark = await readWatermark(trx);
  const top = await trx
    .selectFrom('results')
    .select((eb) => eb.fn.max('seq').as('top'))
    .executeTakeFirst();
  const topSeq = top?.top === null || top?.top === undefined ? null : Number(top.top);
  if (topSeq === null || topSeq <= watermark) return null;
  const upTo = Math.min(topSeq, watermark + SEQ_SLICE);

  const touched = await trx
    .selectFrom('results')
    .select([
      'monitor_id',
      sql<number>`checked_at - (checked_at % ${sql.lit(MINUTE_MS)})`.as('minute'),
    ])
    .distinct()
    .where('seq', '>', watermark)
    .where('seq', '<=', upTo)
    .execute();
  const horizon = await readMetaNumber(trx, META_KEYS.rawPrunedBefore, 0);
  const slice: SliceBounds = { watermark, upTo, horizon };

  const minuteBuckets: RollupBucket[] = [];
  const hourBuckets: RollupBucket[] = [];
  const rewritten: RewrittenHour[] = [];
  let sinceYield = 0;
  for (const hour of groupByHour(touched)) {
    if (++sinceYield >= HOURS_PER_YIELD) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
    const points = await hourPoints(trx, hour.monitorId, hour.start, upTo);
    const existing =
      hour.start < horizon ? await existingBuckets(trx, hour) : new Map<string, RollupBucket>();
    hourBuckets.push(
      bucketFrom(hour.monitorId, hour.start, points, slice, existing.get(`h${hour.start}`)),
    );
    rewritten.push({
      monitorId: hour.monitorId,
      hourStart: hour.start,
      added: () => summarize(points.filter((p) => p.seq > watermark)),
    });
    for (const minute of hour.minutes) {
      const inMinute = points.filter((p) => bucketStartOf(p.checkedAt, MINUTE_MS) === minute);
      minuteBuckets.push(
        bucketFrom(hour.monitorId, minute, inMinute, slice, existing.get(`m${minute}`)),
      );
    }
  }
  // Written in parts with a yield after each, for the same reason as the loop above: at
  // 30,000 monitors the writes after it held the event loop ~0.7 s per slice (bench).
  for (const part of chunked(minuteBuckets, WRITE_CHUNK)) {
    await upsertBuckets(trx, 'rollup_minute', part);
    await yieldToEventLoop();
  }
  for (const part of chunked(hourBuckets, WRITE_CHUNK)) {
    await upsertBuckets(trx, 'rollup_hour', part);
    await yieldToEventLoop();
  }
  // After the hours are written: a day is rebuilt from the hour table. Each part holds all
  // rewritten hours of its monitors, so a day is rebuilt once, from complete hours.
  const hourHorizon = await readMetaNumber(trx, META_KEYS.hourPrunedBefore, 0);
  const dayBuckets: DayBucket[] = [];
  for (const part of byMonitorParts(rewritten, DAY_MONITORS_PER_PART)) {
    const days = await rewrittenDays(trx, part, hourHorizon);
    await upsertDays(trx, days);
    dayBuckets.push(...days);
    await yieldToEventLoop();
  }
  await writeMetaNumber(trx, META_KEYS.rollupWatermark, upTo);
  return { minuteBuckets, hourBuckets, dayBuckets };
}

interface SliceBounds {
  watermark: number;
  upTo: number;
  /** Buckets starting before this may be missing pruned raw results. */
  horizon: number;
}

interface TouchedHour {
  monitorId: string;
  start: number;
  minutes: number[];
}

function groupByHour(touched: readonly { monitor_id: string; minute: number }[]): TouchedHour[] {
  const hours = new Map<string, TouchedHour>();
  for (const row of touched) {
    const minute = Number(row.minute);
    const start = bucketStartOf(minute, HOUR_MS);
    const key = `${row.monitor_id}\u0000${start}`;
    const hour = hours.get(key) ?? { monitorId: row.monitor_id, start, minutes: [] };
    hour.minutes.push(minute);
    hours.set(key, hour);
  }
  return [...hours.values()];
}

async function hourPoints(
  trx: Kysely<Database>,
  monitorId: string,
  hourStart: number,
  upTo: number,
): Promise<RawPoint[]> {
  const rows = await trx
    .selectFrom('results')
    .select(['seq', 'checked_at', 'status', 'latency_ms'])
    .where('monitor_id', '=', monitorId)
    .where('checked_at', '>=', hourStart)
    .where('checked_at', '<', hourStart + HOUR_MS)
    .where('seq', '<=', upTo)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    checkedAt: Number(r.checked_at),
    status: r.status,
    latencyMs: r.latency_ms,
  }));
}

/** Stored minute (`m…`) and hour (`h…`) buckets of one touched hour, for the merge path. */
async function existingBuckets(
  trx: Kysely<Database>,
  hour: TouchedHour,
): Promise<Map<string, RollupBucket>> {
  const byKey = new Map<string, RollupBucket>();
  const hourRow = await trx
    .selectFrom('rollup_hour')
    .selectAll()
    .where('monitor_id', '=', hour.monitorId)
    .where('bucket_start', '=', hour.start)
    .executeTakeFirst();
  if (hourRow !== undefined) byKey.set(`h${hour.start}`, rowToBucket(hourRow));
  const minuteRows = await trx
    .selectFrom('rollup_minute')
    .selectAll()
    .where('monitor_id', '=', hour.monitorId)
    .where('bucket_start', 'in', hour.minutes)
    .execute();
  for (const row of minuteRows) byKey.set(`m${Number(row.bucket_start)}`, rowToBucket(row));
  return byKey;
}

/**
 * One bucket's new figures: rebuilt from raw results when they are all still there, else
 * the stored bucket plus only this slice's results (see `mergeFigures`).
 */
function bucketFrom(
  monitorId: string,
  bucketStart: number,
  points: readonly RawPoint[],
  slice: SliceBounds,
  existing: RollupBucket | undefined,
): RollupBucket {
  let figures: BucketFigures;
  if (bucketStart >= slice.horizon) {
    figures = summarize(points);
  } else {
    const added = summarize(points.filter((p) => p.seq > slice.watermark));
    figures = existing === undefined ? added : mergeFigures(existing, added);
  }
  return { monitorId, bucketStart, ...figures };
}
