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
  const unique = [...new Set(ids)];
  const keys = new Map<string, number>();
  for (const chunk of chunked(unique, IN_LIST_CHUNK)) {
    const values = sql.join(chunk.map((id) => sql`(${id})`));
    await sql`insert into ${sql.table(table)} (${sql.ref(column)}) values ${values}
      on conflict (${sql.ref(column)}) do nothing`.execute(db);
    const rows = await sql<{ key: number; id: string }>`
      select key, ${sql.ref(column)} as id from ${sql.table(table)}
      where ${sql.ref(column)} in (${sql.join(chunk)})`.execute(db);
    for (const row of rows.rows) keys.set(row.id, Number(row.key));
  }
  return keys;
}
