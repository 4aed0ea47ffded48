import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { SqlDialectName } from '../sql/schema.ts';
import type { MigrationContext } from './migration-context.ts';
import { startRewriteProgress } from './rewrite-progress.ts';

/**
 * Compact raw results (issue #15, storage). A result row was 350 bytes on a realistic mix
 * (`bench/scenarios/storage.ts`), most of it text repeated on every row: a 36-character id
 * (and its unique index), the monitor's and node's text ids (the monitor's again in an
 * index), the status and error kind as words, durations as 8-byte REALs, `''` and `'{}'`.
 *
 * `raw_results` keeps the same facts: the id as its 16 bytes (a lowercase UUID; any other id
 * as its text), the monitor and node as small integer keys (`monitor_keys`, `node_keys`),
 * status and error kind as the codes of `sql/result-codes.ts`, durations as integer
 * hundredths of a millisecond, NULL for an empty message or details. `seq` stays the rowid
 * (AUTOINCREMENT: the rollup watermark needs a seq never reused) and continues the old
 * table's sequence. A view named `results` gives every reader the old rows back, column for
 * column and value for value; writers write `raw_results`.
 *
 * The numbers in this file are frozen here on purpose: a later change of the codes needs a
 * new migration that redefines the view.
 *
 * On a big database the copy takes minutes, so it goes in batches and logs its progress.
 */
export async function up(
  db: Kysely<unknown>,
  dialect: SqlDialectName,
  context: MigrationContext,
): Promise<void> {
  await db.schema
    .createTable('monitor_keys')
    .addColumn('key', dialect === 'sqlite' ? 'integer' : 'serial', (c) => c.primaryKey())
    .addColumn('monitor_id', 'text', (c) =>
      c.notNull().unique().references('monitors.id').onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createTable('node_keys')
    .addColumn('key', dialect === 'sqlite' ? 'integer' : 'serial', (c) => c.primaryKey())
    .addColumn('node_id', 'text', (c) => c.notNull().unique())
    .execute();

  const table =
    dialect === 'sqlite'
      ? db.schema
          .createTable('raw_results')
          .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      : db.schema.createTable('raw_results').addColumn('seq', 'bigserial', (c) => c.primaryKey());
  await table
    .addColumn('id', dialect === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull().unique())
    .addColumn('monitor_key', 'integer', (c) =>
      c.notNull().references('monitor_keys.key').onDelete('cascade'),
    )
    .addColumn('node_key', 'integer', (c) => c.notNull())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('latency_cms', 'integer', (c) => c.notNull())
    .addColumn('dns_cms', 'integer')
    .addColumn('connect_cms', 'integer')
    .addColumn('tls_cms', 'integer')
    .addColumn('first_byte_cms', 'integer')
    .addColumn('error_kind', 'integer')
    .addColumn('message', 'text')
    .addColumn('details', 'text')
    .execute();

  await copyOldRows(db, dialect, context);
  await sql`drop table results`.execute(db);

  // History of one monitor, rollup slices of some monitors, prune; the foreign key's cascade.
  await db.schema
    .createIndex('raw_results_monitor_checked_at')
    .on('raw_results')
    .columns(['monitor_key', 'checked_at'])
    .execute();
  // Latest results of every monitor (history without a monitor) and its cursor.
  await db.schema
    .createIndex('raw_results_checked_at')
    .on('raw_results')
    .column('checked_at')
    .execute();
  await sql.raw(resultsView(dialect)).execute(db);
}

const STATUSES: readonly (readonly [code: number, status: string])[] = [
  [0, 'up'],
  [1, 'degraded'],
  [2, 'down'],
  [3, 'error'],
];

const ERROR_KINDS: readonly (readonly [code: number, kind: string])[] = [
  [1, 'timeout'],
  [2, 'refused'],
  [3, 'dns'],
  [4, 'tls'],
  [5, 'status'],
  [6, 'assertion'],
  [7, 'network'],
  [8, 'node'],
  [9, 'pattern'],
];

/** `case <column> when <from> then <to> … end`, values quoted as SQL literals where text. */
function caseOf(column: string, pairs: readonly (readonly [string | number, string | number])[]) {
  const literal = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v}'`);
  const arms = pairs.map(([from, to]) => `when ${literal(from)} then ${literal(to)}`).join(' ');
  return `case ${column} ${arms} end`;
}

const swap = <A, B>(pairs: readonly (readonly [A, B])[]) => pairs.map(([a, b]) => [b, a] as const);

const HEX = '[0-9a-f]';
/** A lowercase UUID, as a GLOB pattern. */
const UUID_GLOB = [8, 4, 4, 4, 12].map((n) => HEX.repeat(n)).join('-');

/**
 * Old rows into the new table, same seq; the sequence continues where the old one was. In
 * batches of rows in seq order (a range of the old table's primary key each), all within the
 * migration's one transaction.
 */
async function copyOldRows(
  db: Kysely<unknown>,
  dialect: SqlDialectName,
  { logger, rewrite }: MigrationContext,
): Promise<void> {
  await sql`insert into monitor_keys (monitor_id) select distinct monitor_id from results`.execute(
    db,
  );
  await sql`insert into node_keys (node_id) select distinct node_id from results`.execute(db);
  const id =
    dialect === 'sqlite'
      ? `case when r.id glob '${UUID_GLOB}' then unhex(replace(r.id, '-', '')) else r.id end`
      : `case when r.id ~ '^${UUID_GLOB}$' then decode(replace(r.id, '-', ''), 'hex')
           else convert_to(r.id, 'UTF8') || case when octet_length(r.id) = 16
             then '\\x00'::bytea else ''::bytea end end`;
  const cms = (column: string) => `cast(round(r.${column} * 100) as integer)`;
  const total = await oldRowCount(db);
  const progress = startRewriteProgress({
    logger,
    migration: '0017_compact_results',
    total,
    intervalMs: rewrite.progressIntervalMs,
  });
  let done = 0;
  let lastSeq = 0;
  for (;;) {
    const batch = await sql
      .raw(
        `insert into raw_results (seq, id, monitor_key, node_key, checked_at, status, latency_cms,
           dns_cms, connect_cms, tls_cms, first_byte_cms, error_kind, message, details)
         select r.seq, ${id}, m.key, n.key, r.checked_at, ${caseOf('r.status', swap(STATUSES))},
           ${cms('latency_ms')}, ${cms('dns_ms')}, ${cms('connect_ms')}, ${cms('tls_ms')},
           ${cms('first_byte_ms')}, ${caseOf('r.error_kind', swap(ERROR_KINDS))},
           nullif(r.message, ''), nullif(r.details, '{}')
         from results r
         join monitor_keys m on m.monitor_id = r.monitor_id
         join node_keys n on n.node_id = r.node_id
         where r.seq > ${lastSeq}
         order by r.seq
         limit ${rewrite.batchRows}`,
      )
      .execute(db);
    const copied = Number(batch.numAffectedRows ?? 0);
    if (copied === 0) break;
    done += copied;
    progress.advance(done);
    if (copied < rewrite.batchRows) break;
    lastSeq = await maxSeq(db);
  }
  progress.finish();
  if (dialect === 'sqlite') {
    // A seq is never reused, also one of rows deleted before this migration.
    await sql`delete from sqlite_sequence where name = 'raw_results'`.execute(db);
    await sql`insert into sqlite_sequence (name, seq)
      select 'raw_results', seq from sqlite_sequence where name = 'results'`.execute(db);
  } else {
    await sql
      .raw(
        `select setval(pg_get_serial_sequence('raw_results', 'seq'),
           greatest(1, (select last_value from results_seq_seq)))`,
      )
      .execute(db);
  }
}

/** Rows to copy, for the progress lines: one pass over an index, cheaper than the copy's. */
async function oldRowCount(db: Kysely<unknown>): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from results`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The newest copied row's seq (the primary key's last entry: no scan). */
async function maxSeq(db: Kysely<unknown>): Promise<number> {
  const { rows } = await sql<{
    top: number | string | null;
  }>`select max(seq) as top from raw_results`.execute(db);
  return Number(rows[0]?.top ?? 0);
}

/**
 * The old `results` table's columns and values, over `raw_results`. The node is a subquery,
 * not a join: with a handful of nodes the planner would scan node_keys for every row (or
 * read a rollup slice once per node); a subquery is one primary-key probe per row it returns.
 */
function resultsView(dialect: SqlDialectName): string {
  const hex = dialect === 'sqlite' ? 'lower(hex(r.id))' : `encode(r.id, 'hex')`;
  const part = (from: number, length: number) => `substr(${hex}, ${from}, ${length})`;
  const uuid = [part(1, 8), part(9, 4), part(13, 4), part(17, 4), part(21, 12)].join(` || '-' || `);
  // PostgreSQL: 16 bytes are a UUID; other ids are their text, one NUL added to a 16-byte
  // one so it cannot pass for a UUID (`sql/result-id.ts`).
  const id =
    dialect === 'sqlite'
      ? `case when typeof(r.id) = 'blob' then ${uuid} else r.id end`
      : `case when length(r.id) = 16 then ${uuid}
           else convert_from(rtrim(r.id, '\\x00'::bytea), 'UTF8') end`;
  const ms = (column: string) =>
    dialect === 'sqlite' ? `r.${column} / 100.0` : `r.${column}::double precision / 100`;
  return `create view results as
    select r.seq, ${id} as id, m.monitor_id,
      (select n.node_id from node_keys n where n.key = r.node_key) as node_id, r.checked_at,
      ${caseOf('r.status', STATUSES)} as status,
      ${ms('latency_cms')} as latency_ms, ${ms('dns_cms')} as dns_ms,
      ${ms('connect_cms')} as connect_ms, ${ms('tls_cms')} as tls_ms,
      ${ms('first_byte_cms')} as first_byte_ms,
      ${caseOf('r.error_kind', ERROR_KINDS)} as error_kind,
      coalesce(r.message, '') as message, coalesce(r.details, '{}') as details
    from raw_results r
    join monitor_keys m on m.key = r.monitor_key`;
}
