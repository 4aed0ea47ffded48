import type { Kysely } from 'kysely';
import type { StoreStats } from '../types.ts';
import type { Database } from './schema.ts';

/** Row counts for `health`: monitors, results and open incidents (the size comes from the backend). */
export async function countStoreRows(db: Kysely<Database>): Promise<Omit<StoreStats, 'sizeBytes'>> {
  const counted = (row: { n: number | string | bigint }): number => Number(row.n);
  const all = (table: 'monitors' | 'results') =>
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
  return {
    monitors: counted(await all('monitors')),
    results: counted(await all('results')),
    openIncidents: counted(await open()),
  };
}
