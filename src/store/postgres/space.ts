import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../sql/schema.ts';

/** Bytes of the current database on disk (every table, index and TOAST relation). */
export async function postgresDatabaseBytes(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{
    bytes: number;
  }>`select pg_database_size(current_database()) as bytes`.execute(db);
  return Number(rows[0]?.bytes ?? 0);
}

/**
 * Where the database's bytes go, for `--storage-budget`. PostgreSQL keeps no cheap free-space
 * figure the way SQLite's free list is one (free space inside tables is reused by later
 * inserts, and finding it needs pgstattuple's full scans), so the bytes in use are the
 * database's size. A table counts `pg_total_relation_size`: its heap, indexes and TOAST. A name
 * that is no table (a view such as `results`) counts nothing, as on SQLite.
 */
export async function postgresSpaceBytes(
  db: Kysely<Database>,
  tables: readonly string[],
): Promise<{ fileBytes: number; usedBytes: number; tableBytes: number }> {
  const fileBytes = await postgresDatabaseBytes(db);
  let tableBytes = 0;
  if (tables.length > 0) {
    const { rows } = await sql<{ bytes: number | null }>`
      select sum(pg_total_relation_size(c.oid)) as bytes
      from pg_class c
      where c.relkind in ('r', 'p')
        and c.relnamespace = current_schema()::regnamespace
        and c.relname in (${sql.join(tables)})`.execute(db);
    tableBytes = Number(rows[0]?.bytes ?? 0);
  }
  return { fileBytes, usedBytes: fileBytes, tableBytes };
}
