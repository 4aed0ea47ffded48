import type { Statement } from 'better-sqlite3';
import type { ResultInserter } from '../sql/results.ts';
import type { SqliteHandle } from './connection.ts';

type Nullable = number | null;
/** Bind parameters of INSERT_RESULT, in column order. */
type ResultParams = [
  id: Uint8Array | string,
  monitorId: string,
  nodeId: string,
  checkedAt: number,
  status: number,
  latencyCms: number,
  dnsCms: Nullable,
  connectCms: Nullable,
  tlsCms: Nullable,
  firstByteCms: Nullable,
  errorKind: Nullable,
  message: string | null,
  details: string | null,
];

// The keys are looked up in the INSERT itself (a primary-key probe each, in pages the batch
// keeps hot): a cache in this process could outlive a rolled-back batch's new keys.
const INSERT_RESULT = `insert into raw_results
  (id, monitor_key, node_key, checked_at, status, latency_cms, dns_cms, connect_cms, tls_cms,
   first_byte_cms, error_kind, message, details)
  values (?, (select key from monitor_keys where monitor_id = ?),
    (select key from node_keys where node_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  on conflict (id) do nothing`;
const ADD_MONITOR_KEY = `insert into monitor_keys (monitor_id) values (?)
  on conflict (monitor_id) do nothing`;
const ADD_NODE_KEY = `insert into node_keys (node_id) values (?) on conflict (node_id) do nothing`;

interface Statements {
  insert: Statement<ResultParams>;
  addMonitorKey: Statement<[string]>;
  addNodeKey: Statement<[string]>;
}

/**
 * The hot insert of commitBatch, on better-sqlite3 statements prepared once. Measured on
 * the 2-core dev machine (bench/store-ingest.ts, 200k results in batches of 1,000): Kysely's
 * multi-row INSERT reached ~18k results/s, a quarter of it spent building and preparing a
 * fresh 13,000-parameter statement per batch; this path removes both. It runs inside the
 * Kysely transaction of commitBatch, on the same connection, while Kysely's connection mutex
 * is held, so it cannot interleave with other queries. Each distinct monitor and node of the
 * batch gets its key row first (a no-op once it exists).
 */
export function nativeResultInserter(handle: SqliteHandle): ResultInserter {
  let statements: Statements | undefined;
  return (_db, rows) => {
    statements ??= {
      insert: handle.prepare<ResultParams>(INSERT_RESULT),
      addMonitorKey: handle.prepare<[string]>(ADD_MONITOR_KEY),
      addNodeKey: handle.prepare<[string]>(ADD_NODE_KEY),
    };
    const { insert, addMonitorKey, addNodeKey } = statements;
    const monitors = new Set<string>();
    const nodes = new Set<string>();
    for (const r of rows) {
      monitors.add(r.monitor_id);
      nodes.add(r.node_id);
    }
    for (const id of monitors) addMonitorKey.run(id);
    for (const id of nodes) addNodeKey.run(id);
    for (const r of rows) {
      insert.run(
        r.id,
        r.monitor_id,
        r.node_id,
        r.checked_at,
        r.status,
        r.latency_cms,
        r.dns_cms,
        r.connect_cms,
        r.tls_cms,
        r.first_byte_cms,
        r.error_kind,
        r.message,
        r.details,
      );
    }
    return Promise.resolve();
  };
}
