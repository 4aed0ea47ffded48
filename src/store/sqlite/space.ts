import type { SqliteHandle } from './connection.ts';
import { databaseSizeBytes } from './connection.ts';

/**
 * Where the database's bytes go, for `--storage-budget`: the file and its WAL, the pages in
 * use (free-list pages are reused before the file grows, so they count as room), and the bytes
 * of some tables with every index on them, summed from `dbstat` (reads every page of that table).
 */
export function sqliteSpaceBytes(
  handle: SqliteHandle,
  file: string,
  tables: readonly string[],
): { fileBytes: number; usedBytes: number; tableBytes: number } {
  const fileBytes = databaseSizeBytes(handle, file);
  const pageSize = Number(handle.pragma('page_size', { simple: true }));
  const freePages = Number(handle.pragma('freelist_count', { simple: true }));
  let tableBytes = 0;
  for (const table of tables) tableBytes += sqliteTableBytes(handle, table);
  return { fileBytes, usedBytes: fileBytes - freePages * pageSize, tableBytes };
}

/** Bytes of `table` and every index on it, from `dbstat` (reads every page of them). */
export function sqliteTableBytes(handle: SqliteHandle, table: string): number {
  const names = handle
    .prepare<[string], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE tbl_name = ? AND type IN ('table', 'index')",
    )
    .all(table)
    .map((row) => row.name);
  const sizeOf = handle.prepare<[string], { bytes: number | null }>(
    'SELECT sum(pgsize) AS bytes FROM dbstat WHERE name = ? AND aggregate = TRUE',
  );
  let bytes = 0;
  for (const name of names) bytes += Number(sizeOf.get(name)?.bytes ?? 0);
  return bytes;
}
