import type { Kysely } from 'kysely';
import type { PruneCounts, RetentionPolicy } from '../types.ts';
import { chunked } from './chunks.ts';
import { pruneEvidence } from './evidence.ts';
import { yieldToEventLoop } from './event-loop.ts';
import type { MetaKey } from './meta.ts';
import { META_KEYS, readMetaNumber, readWatermark, writeMetaNumber } from './meta.ts';
import type { RollupTableName } from './rollup-buckets.ts';
import type { Database } from './schema.ts';

/** Rows deleted per statement: each statement is short, so the daemon is never held long. */
const PRUNE_BATCH = 5_000;
/** Monitors per statement; old rows are found through the (monitor_id, time) indexes. */
const MONITOR_CHUNK = 500;
/** Hard stop for one prune call; anything left is deleted by the next call. */
const MAX_STATEMENTS = 20_000;

/** Terminal delivery states, safe to forget once old. */
const FINISHED_DELIVERIES = ['sent', 'failed', 'suppressed'];

/**
 * Deletes data older than the retention policy, in batches of PRUNE_BATCH rows with a yield
 * to the event loop between statements. Raw results that are not rolled up yet are kept
 * whatever their age, so no result is lost to the rollups.
 */
export async function prune(
  db: Kysely<Database>,
  now: number,
  retention: RetentionPolicy,
): Promise<PruneCounts> {
  const rawCutoff = now - retention.rawMs;
  const minuteCutoff = now - retention.minuteMs;
  const hourCutoff = now - retention.hourMs;
  const dayCutoff = now - retention.dayMs;
  const budget = { statements: MAX_STATEMENTS };

  // Recorded before deleting, so a rollup never rebuilds a bucket from partly pruned data.
  await raiseHorizon(db, META_KEYS.rawPrunedBefore, rawCutoff);
  await raiseHorizon(db, META_KEYS.hourPrunedBefore, hourCutoff);
  const watermark = await readWatermark(db);
  const monitorChunks = chunked(
    (await db.selectFrom('monitors').select('id').execute()).map((r) => r.id),
    MONITOR_CHUNK,
  );

  let results = 0;
  let minuteBuckets = 0;
  let hourBuckets = 0;
  let dayBuckets = 0;
  for (const ids of monitorChunks) {
    results += await repeat(budget, () =>
      db
        .deleteFrom('raw_results')
        .where('seq', 'in', (eb) =>
          eb
            .selectFrom('results')
            .select('seq')
            .where('monitor_id', 'in', ids)
            .where('checked_at', '<', rawCutoff)
            .where('seq', '<=', watermark)
            .limit(PRUNE_BATCH),
        )
        .executeTakeFirst(),
    );
    minuteBuckets += await repeat(budget, () =>
      deleteOldBuckets(db, 'rollup_minute', ids, minuteCutoff),
    );
    hourBuckets += await repeat(budget, () => deleteOldBuckets(db, 'rollup_hour', ids, hourCutoff));
    dayBuckets += await repeat(budget, () => deleteOldBuckets(db, 'rollup_day', ids, dayCutoff));
  }
  // The alert log lives as long as incident history: deliveries of an incident that still
  // exists stay with it; the rest (node alerts, deleted monitors') follow the day buckets.
  // Attempts go with their delivery (ON DELETE CASCADE).
  const deliveries = await repeat(budget, () =>
    db
      .deleteFrom('alert_deliveries')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('alert_deliveries as d')
          .select('d.id')
          .where('d.status', 'in', FINISHED_DELIVERIES)
          .where('d.created_at', '<', dayCutoff)
          .where((inner) =>
            inner.or([
              inner('d.incident_id', 'is', null),
              inner.not(
                inner.exists(
                  inner
                    .selectFrom('incidents')
                    .select('incidents.id')
                    .whereRef('incidents.id', '=', 'd.incident_id'),
                ),
              ),
            ]),
          )
          .limit(PRUNE_BATCH),
      )
      .executeTakeFirst(),
  );
  // Votes go with their round (ON DELETE CASCADE). Rounds of an incident are its evidence
  // and stay as long as the incident does.
  const rounds = await repeat(budget, () =>
    db
      .deleteFrom('rounds')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('rounds')
          .select('id')
          .where('incident_id', 'is', null)
          .where('decided_at', '<', rawCutoff)
          .limit(PRUNE_BATCH),
      )
      .executeTakeFirst(),
  );
  // Browser evidence of no incident goes with the raw results; an incident's stays with it.
  const evidence = await pruneEvidence(db, rawCutoff);
  return { results, minuteBuckets, hourBuckets, dayBuckets, deliveries, rounds, evidence };
}

/** Moves a "may be pruned before" horizon forward, never back. */
async function raiseHorizon(db: Kysely<Database>, key: MetaKey, cutoff: number): Promise<void> {
  if (cutoff > (await readMetaNumber(db, key, 0))) await writeMetaNumber(db, key, cutoff);
}

function deleteOldBuckets(
  db: Kysely<Database>,
  table: RollupTableName,
  monitorIds: readonly string[],
  cutoff: number,
): Promise<{ numDeletedRows: bigint }> {
  return db
    .deleteFrom(table)
    .where((eb) =>
      eb(
        eb.refTuple('monitor_id', 'bucket_start'),
        'in',
        eb
          .selectFrom(table)
          .select(['monitor_id', 'bucket_start'])
          .where('monitor_id', 'in', monitorIds)
          .where('bucket_start', '<', cutoff)
          .limit(PRUNE_BATCH)
          .$asTuple('monitor_id', 'bucket_start'),
      ),
    )
    .executeTakeFirst();
}

/** Runs a batched delete until it deletes less than a full batch or the budget runs out. */
async function repeat(
  budget: { statements: number },
  deleteBatch: () => Promise<{ numDeletedRows: bigint }>,
): Promise<number> {
  let deleted = 0;
  while (budget.statements > 0) {
    budget.statements -= 1;
    const n = Number((await deleteBatch()).numDeletedRows);
    deleted += n;
    await yieldToEventLoop();
    if (n < PRUNE_BATCH) break;
  }
  return deleted;
}
