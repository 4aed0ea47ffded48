import type { Kysely } from 'kysely';
import type { RollupBucket } from '../types.ts';
import { insertChunks } from './chunks.ts';
import { rowToBucket } from './rows.ts';
import type { Database } from './schema.ts';

/** The rollup tables, finest first; they share one shape. */
export type RollupTableName = 'rollup_minute' | 'rollup_hour' | 'rollup_day';

/** Inserts or replaces minute or hour buckets, keyed by (monitor_id, bucket_start). */
export async function upsertBuckets(
  db: Kysely<Database>,
  table: 'rollup_minute' | 'rollup_hour',
  buckets: readonly RollupBucket[],
): Promise<void> {
  const rows = buckets.map((b) => ({
    monitor_id: b.monitorId,
    bucket_start: b.bucketStart,
    count: b.count,
    failures: b.failures,
    degraded: b.degraded,
    latency_p50: b.latencyP50,
    latency_p95: b.latencyP95,
    latency_max: b.latencyMax,
  }));
  for (const chunk of insertChunks(rows)) {
    await db
      .insertInto(table)
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['monitor_id', 'bucket_start']).doUpdateSet((eb) => ({
          count: eb.ref('excluded.count'),
          failures: eb.ref('excluded.failures'),
          degraded: eb.ref('excluded.degraded'),
          latency_p50: eb.ref('excluded.latency_p50'),
          latency_p95: eb.ref('excluded.latency_p95'),
          latency_max: eb.ref('excluded.latency_max'),
        })),
      )
      .execute();
  }
}

/** Buckets of one monitor from `since` (inclusive), oldest first. */
export async function listBuckets(
  db: Kysely<Database>,
  table: RollupTableName,
  monitorId: string,
  since: number,
): Promise<RollupBucket[]> {
  const rows = await db
    .selectFrom(table)
    .selectAll()
    .where('monitor_id', '=', monitorId)
    .where('bucket_start', '>=', since)
    .orderBy('bucket_start')
    .execute();
  return rows.map(rowToBucket);
}
