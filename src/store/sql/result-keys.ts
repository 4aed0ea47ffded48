import { AppError } from '../../lib/errors.ts';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { chunked, IN_LIST_CHUNK } from './chunks.ts';
import type { Database } from './schema.ts';

/** The dictionary tables that give monitors and nodes their small integer keys in raw_results. */
const KEY_TABLES = {
  monitor: { table: 'monitor_keys', column: 'monitor_id' },
  node: { table: 'node_keys', column: 'node_id' },
} as const;

export type KeyKind = keyof typeof KEY_TABLES;

/**
 * The integer keys of `ids` (monitor or node ids), adding the missing ones, inside the caller's
 * transaction (a rolled-back batch leaves no key behind). A monitor's key is deleted with the
 * monitor, so a monitor id that no longer exists gets no key (the foreign key refuses it).
 */
export async function keysOf(
  db: Kysely<Database>,
  kind: KeyKind,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const { table, column } = KEY_TABLES[kind];
  const keys = new Map<string, number>();
  for (const chunk of chunked([...new Set(ids)], IN_LIST_CHUNK)) {
    // Nearly every batch names monitors and nodes that have keys already: one read, and an
    // insert only for the new ones (a conflicting insert costs an index probe and, on
    // PostgreSQL, a speculative-insertion round per row).
    await readKeys(db, table, column, chunk, keys);
    const missing = chunk.filter((id) => !keys.has(id));
    if (missing.length === 0) continue;
    const values = sql.join(missing.map((id) => sql`(${id})`));
    await sql`insert into ${sql.table(table)} (${sql.ref(column)}) values ${values}
      on conflict (${sql.ref(column)}) do nothing`.execute(db);
    await readKeys(db, table, column, missing, keys);
  }
  return keys;
}

async function readKeys(
  db: Kysely<Database>,
  table: string,
  column: string,
  ids: readonly string[],
  into: Map<string, number>,
): Promise<void> {
  const rows = await sql<{ key: number; id: string }>`
    select key, ${sql.ref(column)} as id from ${sql.table(table)}
    where ${sql.ref(column)} in (${sql.join(ids)})`.execute(db);
  for (const row of rows.rows) into.set(row.id, Number(row.key));
}

/** A result batch's monitor and node keys; asking for one the batch did not name is a bug. */
export interface BatchKeys {
  monitor(id: string): number;
  node(id: string): number;
}

/** The keys of every monitor and node a batch of result rows names (see `keysOf`). */
export async function batchKeys(
  db: Kysely<Database>,
  rows: readonly { monitor_id: string; node_id: string }[],
): Promise<BatchKeys> {
  const monitors = await keysOf(
    db,
    'monitor',
    rows.map((r) => r.monitor_id),
  );
  const nodes = await keysOf(
    db,
    'node',
    rows.map((r) => r.node_id),
  );
  return { monitor: (id) => keyOrThrow(monitors, id), node: (id) => keyOrThrow(nodes, id) };
}

function keyOrThrow(keys: ReadonlyMap<string, number>, id: string): number {
  const key = keys.get(id);
  if (key === undefined) throw new AppError('INTERNAL', `no result key for ${id}`);
  return key;
}
