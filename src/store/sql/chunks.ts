/** Largest `IN (...)` list we send; well under SQLite's 32,766 and PostgreSQL's 65,535 binds. */
export const IN_LIST_CHUNK = 5_000;

/** Splits a list into consecutive chunks of at most `size` items. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Bind parameters per multi-row statement; conservative for every dialect and cheap to compile. */
const MAX_BIND_PARAMETERS = 10_000;

/** Splits rows for multi-row INSERTs so no statement exceeds the bind-parameter budget. */
export function insertChunks<T extends object>(rows: readonly T[]): T[][] {
  const first = rows[0];
  if (first === undefined) return [];
  const columns = Math.max(1, Object.keys(first).length);
  return chunked(rows, Math.max(1, Math.floor(MAX_BIND_PARAMETERS / columns)));
}
