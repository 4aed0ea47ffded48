import { sql } from 'kysely';
import { chunked } from '../sql/chunks.ts';
import { asPostgresBytes } from '../sql/result-id.ts';
import { batchKeys } from '../sql/result-keys.ts';
import type { BatchKeys } from '../sql/result-keys.ts';
import type { ResultInserter } from '../sql/results.ts';
import { insertResultsWithKysely } from '../sql/results.ts';
import type { ResultWriteRow } from '../sql/rows.ts';
import { withoutNul } from './text.ts';

/**
 * Rows per statement. Thirteen arrays of this many elements are a few hundred KB of
 * parameters: one round trip per ingest batch of the usual size, and no statement unbounded.
 */
const ROWS_PER_STATEMENT = 5_000;

/**
 * PostgreSQL's result writer: one `INSERT … SELECT FROM unnest(…)` per chunk, each column one
 * array parameter. A multi-row VALUES list binds 13 parameters per row and PostgreSQL plans a
 * new statement for every row count; with arrays the statement text is always the same and
 * the bind is 13 values whatever the batch size (`bench/postgres-ingest.ts` measures it).
 * Replays (same id) insert nothing, as in the portable writer.
 */
export const insertResultsWithUnnest: ResultInserter = async (db, rows) => {
  if (rows.length === 0) return;
  const keys = await batchKeys(db, rows);
  for (const chunk of chunked(rows, ROWS_PER_STATEMENT)) {
    const c = columns(chunk.map(withoutNul), keys);
    await sql`insert into raw_results (id, monitor_key, node_key, checked_at, status, latency_cms,
        dns_cms, connect_cms, tls_cms, first_byte_cms, error_kind, message, details)
      select * from unnest(${c.id}::bytea[], ${c.monitorKey}::integer[], ${c.nodeKey}::integer[],
        ${c.checkedAt}::bigint[], ${c.status}::integer[], ${c.latency}::integer[],
        ${c.dns}::integer[], ${c.connect}::integer[], ${c.tls}::integer[], ${c.firstByte}::integer[],
        ${c.errorKind}::integer[], ${c.message}::text[], ${c.details}::text[])
      on conflict (id) do nothing`.execute(db);
  }
};

/** The chunk column by column, ids as bytes and monitors and nodes as their keys. */
function columns(rows: readonly ResultWriteRow[], keys: BatchKeys) {
  return {
    id: rows.map((r) => asPostgresBytes(r.id)),
    monitorKey: rows.map((r) => keys.monitor(r.monitor_id)),
    nodeKey: rows.map((r) => keys.node(r.node_id)),
    checkedAt: rows.map((r) => r.checked_at),
    status: rows.map((r) => r.status),
    latency: rows.map((r) => r.latency_cms),
    dns: rows.map((r) => r.dns_cms),
    connect: rows.map((r) => r.connect_cms),
    tls: rows.map((r) => r.tls_cms),
    firstByte: rows.map((r) => r.first_byte_cms),
    errorKind: rows.map((r) => r.error_kind),
    message: rows.map((r) => r.message),
    details: rows.map((r) => r.details),
  };
}

/**
 * The portable multi-row VALUES writer (`portableWriters`), with ids and text as PostgreSQL
 * stores them (`sql/result-id.ts`): given a text id, a bytea column would take its bytes
 * unmarked and a 16-byte one would read back as a UUID.
 */
export const insertResultsWithValues: ResultInserter = (db, rows) =>
  insertResultsWithKysely(
    db,
    rows.map((row) => ({ ...withoutNul(row), id: asPostgresBytes(row.id) })),
  );
