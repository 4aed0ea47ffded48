import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { RollupBucket } from '../types.ts';
import type { BucketFigures, RawPoint } from './bucket-figures.ts';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  bucketStartOf,
  mergeFigures,
  summarize,
} from './bucket-figures.ts';
import { chunked } from './chunks.ts';
import { yieldToEventLoop } from './event-loop.ts';
import { META_KEYS, readMetaNumber, readWatermark } from './meta.ts';
import type { RewrittenHour } from './rollup-days.ts';
import { rowToBucket } from './rows.ts';
import type { Database } from './schema.ts';

/** Results folded per slice, so one rollup after a large backlog stays bounded in memory. */
const SEQ_SLICE = 50_000;
/**
 * Monitors whose hour of raw results one query reads (through the (monitor_id, checked_at)
 * index): ~6,000 rows at 30 s, a few ms of synchronous SQLite work, where one query per
 * monitor-hour cost a statement build and run each (the profile: ~18 % of the main
 * thread at 10,000 monitors).
 */
const MONITORS_PER_READ = 50;

/** The buckets a slice rewrites for some monitors, and the hours their days are rebuilt from. */
export interface SliceBuckets {
  minuteBuckets: RollupBucket[];
  hourBuckets: RollupBucket[];
  rewritten: RewrittenHour[];
}

/** What one slice will write, computed from reads alone (no transaction, no lock held). */
export interface SlicePlan {
  /** The watermark the plan was read at; the slice commits only if it is still the same. */
  watermark: number;
  upTo: number;
  hourHorizon: number;
  /**
   * Monitors whose every touched bucket is rebuilt from raw results and every touched day
   * from its hours: writing them is idempotent, so they go in short transactions of their own.
   */
  rebuilt: SliceBuckets;
  /**
   * Monitors with a bucket merged into stored figures (its raw results or hours may be
   * pruned): not idempotent, so written in the transaction that moves the watermark.
   */
  merged: SliceBuckets;
}

interface TouchedHour {
  monitorId: string;
  start: number;
  minutes: number[];
}

/**
 * Plans the next slice of results above the watermark (null when there is none). Reads only:
 * results with seq up to `upTo` never change (seq is never reused, and only prune, which runs
 * after rollup in the same housekeeping pass, deletes them), so no snapshot is needed.
 */
export async function planSlice(db: Kysely<Database>): Promise<SlicePlan | null> {
  const watermark = await readWatermark(db);
  const top = await db
    .selectFrom('results')
    .select((eb) => eb.fn.max('seq').as('top'))
    .executeTakeFirst();
  const topSeq = top?.top === null || top?.top === undefined ? null : Number(top.top);
  if (topSeq === null || topSeq <= watermark) return null;
  const upTo = Math.min(topSeq, watermark + SEQ_SLICE);

  const touched = await db
    .selectFrom('results')
    .select([
      'monitor_id',
      sql<number>`checked_at - (checked_at % ${sql.lit(MINUTE_MS)})`.as('minute'),
    ])
    .distinct()
    .where('seq', '>', watermark)
    .where('seq', '<=', upTo)
    .execute();
  const horizon = await readMetaNumber(db, META_KEYS.rawPrunedBefore, 0);
  const hourHorizon = await readMetaNumber(db, META_KEYS.hourPrunedBefore, 0);
  const hours = groupByHour(touched);
  const mergedMonitors = new Set<string>();
  for (const hour of hours) {
    if (hour.start < horizon || bucketStartOf(hour.start, DAY_MS) < hourHorizon) {
      mergedMonitors.add(hour.monitorId);
    }
  }
  const plan: SlicePlan = {
    watermark,
    upTo,
    hourHorizon,
    rebuilt: { minuteBuckets: [], hourBuckets: [], rewritten: [] },
    merged: { minuteBuckets: [], hourBuckets: [], rewritten: [] },
  };
  for (const [hourStart, ofHour] of byHourStart(hours)) {
    for (const part of chunked(ofHour, MONITORS_PER_READ)) {
      const points = await hourPoints(db, part, hourStart, upTo);
      for (const hour of part) {
        const merged = mergedMonitors.has(hour.monitorId);
        const existing =
          hour.start < horizon ? await existingBuckets(db, hour) : new Map<string, RollupBucket>();
        const ofMonitor = points.get(hour.monitorId) ?? [];
        addHour(merged ? plan.merged : plan.rebuilt, hour, ofMonitor, existing, {
          watermark,
          horizon,
        });
      }
      // Lets timers and sockets run between reads when this runs on the daemon's thread.
      await yieldToEventLoop();
    }
  }
  return plan;
}

interface SliceBounds {
  watermark: number;
  /** Buckets starting before this may be missing pruned raw results. */
  horizon: number;
}

function addHour(
  into: SliceBuckets,
  hour: TouchedHour,
  points: readonly RawPoint[],
  existing: ReadonlyMap<string, RollupBucket>,
  slice: SliceBounds,
): void {
  into.hourBuckets.push(
    bucketFrom(hour.monitorId, hour.start, points, slice, existing.get(`h${hour.start}`)),
  );
  into.rewritten.push({
    monitorId: hour.monitorId,
    hourStart: hour.start,
    added: () => summarize(points.filter((p) => p.seq > slice.watermark)),
  });
  for (const minute of hour.minutes) {
    const inMinute = points.filter((p) => bucketStartOf(p.checkedAt, MINUTE_MS) === minute);
    into.minuteBuckets.push(
      bucketFrom(hour.monitorId, minute, inMinute, slice, existing.get(`m${minute}`)),
    );
  }
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

function byHourStart(hours: readonly TouchedHour[]): Map<number, TouchedHour[]> {
  const byStart = new Map<number, TouchedHour[]>();
  for (const hour of hours) {
    const list = byStart.get(hour.start);
    if (list) list.push(hour);
    else byStart.set(hour.start, [hour]);
  }
  return byStart;
}

/** Raw results up to `upTo` of some monitors in one hour, by monitor. */
async function hourPoints(
  db: Kysely<Database>,
  hours: readonly TouchedHour[],
  hourStart: number,
  upTo: number,
): Promise<Map<string, RawPoint[]>> {
  const rows = await db
    .selectFrom('results')
    .select(['monitor_id', 'seq', 'checked_at', 'status', 'latency_ms'])
    .where(
      'monitor_id',
      'in',
      hours.map((h) => h.monitorId),
    )
    .where('checked_at', '>=', hourStart)
    .where('checked_at', '<', hourStart + HOUR_MS)
    .where('seq', '<=', upTo)
    .execute();
  const byMonitor = new Map<string, RawPoint[]>();
  for (const r of rows) {
    const point: RawPoint = {
      seq: Number(r.seq),
      checkedAt: Number(r.checked_at),
      status: r.status,
      latencyMs: r.latency_ms,
    };
    const list = byMonitor.get(r.monitor_id);
    if (list) list.push(point);
    else byMonitor.set(r.monitor_id, [point]);
  }
  return byMonitor;
}

/** Stored minute (`m…`) and hour (`h…`) buckets of one touched hour, for the merge path. */
async function existingBuckets(
  db: Kysely<Database>,
  hour: TouchedHour,
): Promise<Map<string, RollupBucket>> {
  const byKey = new Map<string, RollupBucket>();
  const hourRow = await db
    .selectFrom('rollup_hour')
    .selectAll()
    .where('monitor_id', '=', hour.monitorId)
    .where('bucket_start', '=', hour.start)
    .executeTakeFirst();
  if (hourRow !== undefined) byKey.set(`h${hour.start}`, rowToBucket(hourRow));
  const minuteRows = await db
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
