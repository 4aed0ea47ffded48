import type { Kysely } from 'kysely';
import type { CheckStatus, RecordedResult } from '../../domain/check-result.ts';
import { CHECK_STATUSES } from '../../domain/check-result.ts';
import type { NodeResultCounts, ResultFilter } from '../types.ts';
import { insertChunks } from './chunks.ts';
import { storedResultId } from './result-id.ts';
import { batchKeys } from './result-keys.ts';
import type { ResultWriteRow } from './rows.ts';
import { rowToResult } from './rows.ts';
import type { Database, SqlDialectName } from './schema.ts';

/** Writes result rows inside the caller's transaction; replays (same id) insert nothing. */
export type ResultInserter = (
  db: Kysely<Database>,
  rows: readonly ResultWriteRow[],
) => Promise<void>;

/**
 * The portable result writer: the batch's monitor and node keys first, then multi-row
 * INSERT … ON CONFLICT (id) DO NOTHING into raw_results.
 */
export const insertResultsWithKysely: ResultInserter = async (db, rows) => {
  if (rows.length === 0) return;
  const keys = await batchKeys(db, rows);
  const stored = rows.map(({ monitor_id, node_id, ...row }) => ({
    ...row,
    monitor_key: keys.monitor(monitor_id),
    node_key: keys.node(node_id),
  }));
  for (const chunk of insertChunks(stored)) {
    await db
      .insertInto('raw_results')
      .values(chunk)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
};

/** Results listed when the caller gives no limit, so an unbounded table is never read whole. */
export const DEFAULT_RESULT_LIMIT = 1_000;

/** Results, newest first. */
export async function listResults(
  db: Kysely<Database>,
  dialect: SqlDialectName,
  filter: ResultFilter = {},
): Promise<RecordedResult[]> {
  let query = db
    .selectFrom('results')
    .select([
      'id',
      'monitor_id',
      'node_id',
      'checked_at',
      'status',
      'latency_ms',
      'dns_ms',
      'connect_ms',
      'tls_ms',
      'first_byte_ms',
      'error_kind',
      'message',
      'details',
    ])
    .orderBy('checked_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(filter.limit ?? DEFAULT_RESULT_LIMIT);
  if (filter.monitorId !== undefined) query = query.where('monitor_id', '=', filter.monitorId);
  if (filter.since !== undefined) query = query.where('checked_at', '>=', filter.since);
  const { after } = filter;
  if (after !== undefined) {
    // The order's tie-breaker is `seq` (the indexes carry it, so no sort is needed); the
    // position names a result id, looked up here. A pruned one ends the ties (null compares
    // false), which only drops results older than the retention anyway.
    query = query.where((eb) =>
      eb.or([
        eb('checked_at', '<', after.checkedAt),
        eb.and([
          eb('checked_at', '=', after.checkedAt),
          eb(
            'seq',
            '<',
            eb
              .selectFrom('raw_results as r')
              .select('r.seq')
              .where('r.id', '=', storedResultId(dialect, after.id)),
          ),
        ]),
      ]),
    );
  }
  return (await query.execute()).map(rowToResult);
}

/** Number of raw results per status for one monitor since `since` (inclusive). */
export async function countResults(
  db: Kysely<Database>,
  monitorId: string,
  since: number,
): Promise<Record<CheckStatus, number>> {
  const rows = await db
    .selectFrom('results')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('monitor_id', '=', monitorId)
    .where('checked_at', '>=', since)
    .groupBy('status')
    .execute();
  const counts: Record<CheckStatus, number> = { up: 0, degraded: 0, down: 0, error: 0 };
  for (const row of rows) {
    const status = CHECK_STATUSES.find((s) => s === row.status);
    if (status !== undefined) counts[status] = Number(row.n);
  }
  return counts;
}

/** The status of a result a node could not produce because of itself (not the target). */
const NODE_ERROR_STATUS = 'error';

/** Raw result counts of one monitor per node since `since` (inclusive), by node id. */
export async function countResultsByNode(
  db: Kysely<Database>,
  monitorId: string,
  since: number,
): Promise<NodeResultCounts[]> {
  const rows = await db
    .selectFrom('results')
    .select((eb) => [
      'node_id',
      eb.fn.countAll<number | string>().as('total'),
      eb.fn
        .sum<number | string | null>(eb.case().when('status', '=', 'down').then(1).else(0).end())
        .as('failures'),
      eb.fn
        .sum<number | string | null>(
          eb.case().when('status', '=', 'degraded').then(1).else(0).end(),
        )
        .as('degraded'),
      // A literal, so this counts `error` results whether or not this build's CheckStatus has it.
      eb.fn
        .sum<number | string | null>(
          eb.case().when('status', '=', NODE_ERROR_STATUS).then(1).else(0).end(),
        )
        .as('errors'),
    ])
    .where('monitor_id', '=', monitorId)
    .where('checked_at', '>=', since)
    .groupBy('node_id')
    .orderBy('node_id')
    .execute();
  // PostgreSQL returns count and sum as strings (bigint/numeric); SQLite as numbers.
  return rows.map((row) => ({
    nodeId: row.node_id,
    total: Number(row.total),
    failures: Number(row.failures ?? 0),
    degraded: Number(row.degraded ?? 0),
    errors: Number(row.errors ?? 0),
  }));
}
