import type { Kysely } from 'kysely';
import type { RollupBucket } from '../types.ts';
import { chunked, IN_LIST_CHUNK } from './chunks.ts';
import { yieldToEventLoop } from './event-loop.ts';
import { META_KEYS, readWatermark, writeMetaNumber } from './meta.ts';
import type { DayBucket, DayUpserter } from './day-buckets.ts';
import { upsertBuckets } from './rollup-buckets.ts';
import type { RewrittenHour } from './rollup-days.ts';
import { rewrittenDays } from './rollup-days.ts';
import type { SlicePlan } from './rollup-plan.ts';
import { planSlice } from './rollup-plan.ts';
import type { Database } from './schema.ts';

/** Upper bound on slices per call; whatever is left is picked up by the next call. */
const MAX_SLICES = 1_000;
/**
 * Minute or hour buckets per write transaction. Each transaction holds SQLite's one write
 * lock (and, on the daemon's connection, Kysely's connection mutex) for a few ms only, so
 * ingest and API writes wait at most that long behind a rollup, never for the whole pass.
 */
const WRITE_CHUNK = 1_000;
/** Monitors whose days are rebuilt and written per transaction (a day row has 54 columns). */
const DAY_MONITORS_PER_PART = 500;

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
 *
 * Each slice is planned from reads alone (`planSlice`), then written in short transactions:
 * first the rebuilt buckets (idempotent: a crash before the watermark moves leaves buckets a
 * re-run writes again with the same figures), then, in one transaction that first checks the
 * watermark is unchanged, the merged buckets (not idempotent) and the new watermark.
 */
export async function rollup(db: Kysely<Database>, upsertDays: DayUpserter): Promise<RollupCounts> {
  // A bucket touched by several slices is counted once.
  const minutes = new Set<string>();
  const hours = new Set<string>();
  const days = new Set<string>();
  for (let slice = 0; slice < MAX_SLICES; slice++) {
    const plan = await planSlice(db);
    if (plan === null) break;
    const written = await writeSlice(db, plan, upsertDays);
    if (written === null) break;
    for (const b of written.minuteBuckets) minutes.add(`${b.monitorId}\u0000${b.bucketStart}`);
    for (const b of written.hourBuckets) hours.add(`${b.monitorId}\u0000${b.bucketStart}`);
    for (const b of written.dayBuckets) days.add(`${b.monitorId}\u0000${b.bucketStart}`);
    await yieldToEventLoop();
  }
  return { minuteBuckets: minutes.size, hourBuckets: hours.size, dayBuckets: days.size };
}

interface WrittenBuckets {
  minuteBuckets: RollupBucket[];
  hourBuckets: RollupBucket[];
  dayBuckets: DayBucket[];
}

/** Writes a planned slice; null when another rollup moved the watermark meanwhile. */
async function writeSlice(
  db: Kysely<Database>,
  plan: SlicePlan,
  upsertDays: DayUpserter,
): Promise<WrittenBuckets | null> {
  const { rebuilt, merged } = plan;
  for (const part of chunked(rebuilt.minuteBuckets, WRITE_CHUNK)) {
    await db.transaction().execute((trx) => upsertLive(trx, 'rollup_minute', part));
    await yieldToEventLoop();
  }
  for (const part of chunked(rebuilt.hourBuckets, WRITE_CHUNK)) {
    await db.transaction().execute((trx) => upsertLive(trx, 'rollup_hour', part));
    await yieldToEventLoop();
  }
  // After the hours are committed: a day is rebuilt from the hour table. Each part holds all
  // rewritten hours of its monitors, so a day is rebuilt once, from complete hours.
  const dayBuckets: DayBucket[] = [];
  for (const part of byMonitorParts(rebuilt.rewritten, DAY_MONITORS_PER_PART)) {
    // Read outside the write transaction: the hours it reads are committed above.
    const days = await rewrittenDays(db, part, plan.hourHorizon);
    const written = await db.transaction().execute((trx) => upsertLiveDays(trx, days, upsertDays));
    dayBuckets.push(...written);
    await yieldToEventLoop();
  }
  const mergedDays = await db.transaction().execute(async (trx) => {
    if ((await readWatermark(trx)) !== plan.watermark) return null;
    await upsertLive(trx, 'rollup_minute', merged.minuteBuckets);
    await upsertLive(trx, 'rollup_hour', merged.hourBuckets);
    const days = await rewrittenDays(trx, merged.rewritten, plan.hourHorizon);
    const written = await upsertLiveDays(trx, days, upsertDays);
    await writeMetaNumber(trx, META_KEYS.rollupWatermark, plan.upTo);
    return written;
  });
  if (mergedDays === null) return null;
  return {
    minuteBuckets: [...rebuilt.minuteBuckets, ...merged.minuteBuckets],
    hourBuckets: [...rebuilt.hourBuckets, ...merged.hourBuckets],
    dayBuckets: [...dayBuckets, ...mergedDays],
  };
}

/**
 * Upserts the buckets of monitors that still exist: planning reads hold no lock, so a
 * monitor may have been deleted (its results and buckets with it) since.
 */
async function upsertLive(
  trx: Kysely<Database>,
  table: 'rollup_minute' | 'rollup_hour',
  buckets: readonly RollupBucket[],
): Promise<void> {
  if (buckets.length === 0) return;
  const live = await liveMonitors(trx, buckets);
  await upsertBuckets(
    trx,
    table,
    buckets.filter((b) => live.has(b.monitorId)),
  );
}

/** Writes the day buckets of monitors that still exist; returns those written. */
async function upsertLiveDays(
  trx: Kysely<Database>,
  days: readonly DayBucket[],
  upsertDays: DayUpserter,
): Promise<DayBucket[]> {
  if (days.length === 0) return [];
  const live = await liveMonitors(trx, days);
  const written = days.filter((d) => live.has(d.monitorId));
  await upsertDays(trx, written);
  return written;
}

async function liveMonitors(
  trx: Kysely<Database>,
  buckets: readonly { monitorId: string }[],
): Promise<Set<string>> {
  const ids = [...new Set(buckets.map((b) => b.monitorId))];
  const live = new Set<string>();
  for (const chunk of chunked(ids, IN_LIST_CHUNK)) {
    const rows = await trx.selectFrom('monitors').select('id').where('id', 'in', chunk).execute();
    for (const row of rows) live.add(row.id);
  }
  return live;
}

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
