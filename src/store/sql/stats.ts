import type { Kysely } from 'kysely';
import type { StoreStats } from '../types.ts';
import type { Database } from './schema.ts';

/**
 * Row counts for `health`: monitors (and how many are paused), results and open incidents (the
 * size comes from the backend). Counted in SQL: `health` is polled, and reading every monitor to
 * count them cost ~100 ms per call at 10,000 monitors.
 */
export async function countStoreRows(db: Kysely<Database>): Promise<Omit<StoreStats, 'sizeBytes'>> {
  const counted = (row: { n: number | string | bigint }): number => Number(row.n);
  // raw_results, not the `results` view: counting the view would join every row to its keys.
  const all = (table: 'raw_results') =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
  const open = () =>
    db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
  const monitors = await db
    .selectFrom('monitors')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.coalesce(eb.fn.sum<number>('paused'), eb.lit(0)).as('paused'),
    ])
    .executeTakeFirstOrThrow();
  return {
    monitors: counted(monitors),
    pausedMonitors: Number(monitors.paused),
    results: counted(await all('raw_results')),
    openIncidents: counted(await open()),
  };
}

/**
 * The tables raw results are stored in, measured with their indexes for the bytes one raw
 * result costs: `results` here; once the compact row layout (migration 0017, `raw_results`)
 * lands, `results` is a view over `raw_results` and counts nothing itself. Listing both keeps
 * the measurement right on either layout.
 */
export const RAW_RESULT_TABLES = ['results', 'raw_results'] as const;

/** How far back the result rate of `storageFigures` looks. */
export const RECENT_RESULTS_MS = 3_600_000;

/**
 * Raw results stored, and those checked within `recentMs` before `now` with the span they
 * cover (shorter than `recentMs` when the oldest stored result is younger): the result rate.
 */
export async function countRawResults(
  db: Kysely<Database>,
  now: number,
  recentMs: number,
): Promise<{ rawRows: number; recentResults: number; recentSpanMs: number }> {
  const totals = await db
    .selectFrom('results')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('checked_at').as('oldest')])
    .executeTakeFirstOrThrow();
  const since = now - recentMs;
  const recent = await db
    .selectFrom('results')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('checked_at', '>=', since)
    .executeTakeFirstOrThrow();
  const oldest = totals.oldest === null ? now : Number(totals.oldest);
  return {
    rawRows: Number(totals.n),
    recentResults: Number(recent.n),
    recentSpanMs: Math.max(0, now - Math.max(since, oldest)),
  };
}
