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
