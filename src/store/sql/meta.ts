import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { corrupt } from './json-column.ts';
import type { Database } from './schema.ts';

/** Keys of the `meta` table; one place so no two features share a key by accident. */
export const META_KEYS = {
  /** Highest results.seq already folded into rollups. */
  rollupWatermark: 'rollup_watermark_seq',
  /** Raw results older than this epoch ms may have been pruned, so their buckets are merged, not rebuilt. */
  rawPrunedBefore: 'raw_pruned_before',
  /** Hour buckets older than this epoch ms may have been pruned, so day buckets are merged, not rebuilt. */
  hourPrunedBefore: 'hour_pruned_before',
  /** Bumped by every monitor write: the version of the config agents sync. */
  configVersion: 'config_version',
  /** JSON array of alert routes that receive node (membership) alerts. */
  nodeAlertRoutes: 'node_alert_routes',
} as const;

/** One of the META_KEYS values. */
export type MetaKey = (typeof META_KEYS)[keyof typeof META_KEYS];

/** Reads a numeric meta value, or `fallback` when unset. */
export async function readMetaNumber(
  db: Kysely<Database>,
  key: MetaKey,
  fallback: number,
): Promise<number> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  if (row === undefined) return fallback;
  const value = Number(row.value);
  if (!Number.isFinite(value)) throw corrupt({ table: 'meta', column: key }, 'not a number');
  return value;
}

/** Sets a numeric meta value. */
export async function writeMetaNumber(
  db: Kysely<Database>,
  key: MetaKey,
  value: number,
): Promise<void> {
  await db
    .insertInto('meta')
    .values({ key, value: String(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(value) }))
    .execute();
}

/** The rollup watermark: every result with seq at or below it is already in the rollups. */
export function readWatermark(db: Kysely<Database>): Promise<number> {
  return readMetaNumber(db, META_KEYS.rollupWatermark, 0);
}

/**
 * Adds one to a numeric meta value and returns the new value (call inside a transaction). The
 * addition happens in the upsert itself, not from the value read before it: on PostgreSQL two
 * coordinators (or two pool connections) can bump the config version at once, and a write
 * computed from a stale read would lose one bump, so agents would miss a change. The read
 * first still refuses a corrupt value, which SQLite's cast would quietly turn into 0.
 */
export async function incrementMetaNumber(db: Kysely<Database>, key: MetaKey): Promise<number> {
  await readMetaNumber(db, key, 0);
  const row = await db
    .insertInto('meta')
    .values({ key, value: '1' })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        value: sql<string>`cast(cast(${sql.ref('meta.value')} as bigint) + 1 as text)`,
      }),
    )
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** Reads a text meta value, or undefined when unset. */
export async function readMetaText(
  db: Kysely<Database>,
  key: MetaKey,
): Promise<string | undefined> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Sets a text meta value. */
export async function writeMetaText(
  db: Kysely<Database>,
  key: MetaKey,
  value: string,
): Promise<void> {
  await db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
