import type { Kysely } from 'kysely';
import { CHECK_STATUSES } from '../../domain/check-result.ts';
import type { NodeLatestResult, RollupBucket } from '../types.ts';
import { chunked, IN_LIST_CHUNK } from './chunks.ts';
import { oneOf } from './json-column.ts';
import type { RollupTableName } from './rollup-buckets.ts';
import { rowToBucket } from './rows.ts';
import type { Database } from './schema.ts';

/**
 * Each node's newest result per monitor, among results checked at or after `since`. Reads the
 * `(monitor_id, checked_at)` index over the look-back only, so the cost follows the ids asked
 * for and the look-back, never the size of the results table; the newest row per node is
 * picked here because "latest row per group" has no portable SQL that is also cheaper.
 */
export async function latestNodeResults(
  db: Kysely<Database>,
  monitorIds: readonly string[],
  since: number,
): Promise<NodeLatestResult[]> {
  const latest = new Map<string, NodeLatestResult>();
  for (const chunk of chunked([...new Set(monitorIds)], IN_LIST_CHUNK)) {
    const rows = await db
      .selectFrom('results')
      .select(['monitor_id', 'node_id', 'status', 'checked_at'])
      .where('monitor_id', 'in', chunk)
      .where('checked_at', '>=', since)
      .execute();
    for (const row of rows) {
      const key = `${row.monitor_id}\n${row.node_id}`;
      const checkedAt = Number(row.checked_at);
      const known = latest.get(key);
      if (known !== undefined && known.checkedAt >= checkedAt) continue;
      latest.set(key, {
        monitorId: row.monitor_id,
        nodeId: row.node_id,
        status: oneOf(row.status, CHECK_STATUSES, { table: 'results', column: 'status' }),
        checkedAt,
      });
    }
  }
  return [...latest.values()];
}

/** Buckets of several monitors from `since` (inclusive), by monitor, oldest first. */
export async function listBucketsOf(
  db: Kysely<Database>,
  table: RollupTableName,
  monitorIds: readonly string[],
  since: number,
): Promise<RollupBucket[]> {
  const buckets: RollupBucket[] = [];
  for (const chunk of chunked([...new Set(monitorIds)], IN_LIST_CHUNK)) {
    const rows = await db
      .selectFrom(table)
      .select([
        'monitor_id',
        'bucket_start',
        'count',
        'failures',
        'degraded',
        'latency_p50',
        'latency_p95',
        'latency_max',
      ])
      .where('monitor_id', 'in', chunk)
      .where('bucket_start', '>=', since)
      .orderBy('monitor_id')
      .orderBy('bucket_start')
      .execute();
    buckets.push(...rows.map(rowToBucket));
  }
  return buckets;
}
