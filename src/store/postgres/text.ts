/**
 * PostgreSQL's text cannot hold U+0000 (SQLite's can): a check's message quoting a binary
 * reply would fail the whole ingest batch. The hot writers replace it with U+FFFD, the
 * character a decoder puts for bytes it cannot show.
 */
export function withoutNul<T extends object>(row: T): T {
  const entries = Object.entries(row);
  if (!entries.some(([, value]) => typeof value === 'string' && value.includes('\0'))) return row;
  return Object.fromEntries(
    entries.map(([key, value]) => [
      key,
      typeof value === 'string' ? value.replaceAll('\0', '\uFFFD') : value,
    ]),
  ) as T;
}
