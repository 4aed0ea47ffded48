import type pg from 'pg';
import { AppError } from '../../lib/errors.ts';
import { asPostgresBytes } from '../sql/result-id.ts';

/**
 * The copier's bookkeeping in the target: one row per source table, written in the same
 * transaction as each chunk of that table, so after any interruption `last_rowid` is exactly
 * where the committed rows end.
 */
export const PROGRESS_TABLE = 'crosscheck_migrate_progress';

/** A session advisory lock ("ccmt"): two migrate runs into one database never interleave. */
export const MIGRATE_LOCK_KEY = 0x63636d74;

/**
 * Tables whose rows the target's migrations write themselves (the lease's single row): present
 * in a fresh target, replaced by the source's rows when their table's copy starts. A test holds
 * this list to what the migrations really seed.
 */
export const SEEDED_TABLES: readonly string[] = ['leader_lease'];

/** A target column and its PostgreSQL type name (`bigint`, `bytea`, `text`…). */
export interface TargetColumn {
  name: string;
  type: string;
}

/** Where one table's copy stands. */
export interface TableProgress {
  table: string;
  lastRowid: number;
  copied: number;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every column of `table` in the target, or none when the table does not exist there. */
export async function targetColumns(client: pg.ClientBase, table: string): Promise<TargetColumn[]> {
  const { rows } = await client.query<{ name: string; type: string }>(
    `select a.attname as name, a.atttypid::regtype::text as type
     from pg_attribute a join pg_class c on c.oid = a.attrelid
     where c.relname = $1 and c.relnamespace = current_schema()::regnamespace
       and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
     order by a.attnum`,
    [table],
  );
  return rows;
}

/** True when the progress table exists (a run has started on this database). */
export async function hasProgressTable(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ found: string | null }>('select to_regclass($1) as found', [
    PROGRESS_TABLE,
  ]);
  return rows[0]?.found != null;
}

/** The fingerprints the progress rows name (one, unless something else wrote them). */
export async function progressFingerprints(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ source: string }>(
    `select distinct source_fingerprint as source from ${PROGRESS_TABLE}`,
  );
  return rows.map((r) => r.source);
}

/** Every table's progress, by table name. */
export async function readProgress(client: pg.ClientBase): Promise<Map<string, TableProgress>> {
  const { rows } = await client.query<{ table_name: string; last_rowid: string; copied: string }>(
    `select table_name, last_rowid, copied from ${PROGRESS_TABLE}`,
  );
  return new Map(
    rows.map((r) => [
      r.table_name,
      { table: r.table_name, lastRowid: Number(r.last_rowid), copied: Number(r.copied) },
    ]),
  );
}

/**
 * Creates the progress table with a zero row per table, in one transaction: after it, the
 * database is marked as this source's target.
 */
export async function startProgress(
  client: pg.ClientBase,
  fingerprint: string,
  tables: readonly { name: string; rows: number }[],
): Promise<void> {
  await inTransaction(client, async () => {
    await client.query(
      `create table ${PROGRESS_TABLE} (
         table_name text primary key, source_fingerprint text not null,
         last_rowid bigint not null, copied bigint not null, total bigint not null,
         updated_at timestamptz not null default now())`,
    );
    for (const table of tables) {
      await client.query(
        `insert into ${PROGRESS_TABLE} (table_name, source_fingerprint, last_rowid, copied, total)
         values ($1, $2, 0, 0, $3)`,
        [table.name, fingerprint, table.rows],
      );
    }
  });
}

/** The source tables that already hold rows in the target, ignoring seeded ones. */
export async function tablesWithRows(
  client: pg.ClientBase,
  tables: readonly string[],
): Promise<string[]> {
  const found: string[] = [];
  for (const table of tables) {
    if (SEEDED_TABLES.includes(table)) continue;
    const { rows } = await client.query<{ any: boolean }>(
      `select exists (select 1 from ${quote(table)}) as any`,
    );
    if (rows[0]?.any === true) found.push(table);
  }
  return found;
}

/**
 * Inserts one chunk and moves the table's progress past it, in one transaction: the rows and
 * the mark commit together or not at all. The first chunk of a table first clears what the
 * target's migrations seeded in it. One array parameter per column (`unnest`), so a chunk is one
 * statement whatever its row count (PostgreSQL allows 65,535 parameters in one).
 */
export async function writeChunk(
  client: pg.ClientBase,
  table: string,
  columns: readonly TargetColumn[],
  rows: readonly unknown[][],
  progress: { first: boolean; after: TableProgress },
): Promise<void> {
  await inTransaction(client, async () => {
    if (progress.first && SEEDED_TABLES.includes(table)) {
      await client.query(`delete from ${quote(table)}`);
    }
    if (rows.length > 0) {
      const names = columns.map((c) => quote(c.name)).join(', ');
      const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
      const values = columns.map((column, i) => rows.map((row) => toTarget(column, row[i])));
      await client.query(
        `insert into ${quote(table)} (${names}) select * from unnest(${arrays})`,
        values,
      );
    }
    await client.query(
      `update ${PROGRESS_TABLE} set last_rowid = $2, copied = $3, updated_at = now()
       where table_name = $1`,
      [table, progress.after.lastRowid, progress.after.copied],
    );
  });
}

/**
 * A SQLite value as the target column takes it. Result ids stored as TEXT in SQLite (ids that
 * are not UUIDs) become bytes the way the PostgreSQL store writes them; 0/1 become booleans;
 * U+0000, which PostgreSQL text cannot hold, becomes U+FFFD as in the store's own writers.
 */
export function toTarget(column: TargetColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === 'bytea') {
    return typeof value === 'string' || value instanceof Uint8Array
      ? asPostgresBytes(value)
      : value;
  }
  if (column.type === 'boolean') return value === true || value === 1;
  if (typeof value === 'string' && value.includes('\0')) return value.replaceAll('\0', '\uFFFD');
  return value;
}

/**
 * Moves every sequence owned by a column of `table` (bigserial, identity) past the column's
 * highest copied value, so the next row the store inserts does not collide.
 */
export async function advanceSequences(
  client: pg.ClientBase,
  table: string,
  columns: readonly TargetColumn[],
): Promise<void> {
  for (const column of columns) {
    const { rows } = await client.query<{ sequence: string | null }>(
      'select pg_get_serial_sequence($1, $2) as sequence',
      [quote(table), column.name],
    );
    const sequence = rows[0]?.sequence;
    if (sequence == null) continue;
    const col = quote(column.name);
    await client.query(
      `select setval($1, coalesce((select max(${col}) from ${quote(table)}), 1),
         (select max(${col}) from ${quote(table)}) is not null)`,
      [sequence],
    );
  }
}

/** Row count of `table` in the target. */
export async function countRows(client: pg.ClientBase, table: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `select count(*)::text as n from ${quote(table)}`,
  );
  return Number(rows[0]?.n ?? 0);
}

async function inTransaction(client: pg.ClientBase, body: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await body();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/** Takes the migrate lock for this session, or refuses: another run is copying right now. */
export async function takeMigrateLock(client: pg.ClientBase, where: string): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>(
    'select pg_try_advisory_lock($1) as locked',
    [MIGRATE_LOCK_KEY],
  );
  if (rows[0]?.locked !== true) {
    throw new AppError('CONFLICT', `another crosscheck migrate is writing to ${where} right now`);
  }
}
