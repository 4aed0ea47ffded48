import type { ConnectionOptions } from 'node:tls';
import type pg from 'pg';
import { AppError, isAppError, isStorageFull, storageFullError } from '../../lib/errors.ts';
import type { StoreLogger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import type { PostgresTarget } from '../postgres/connection.ts';
import { createStorePool, describeTarget, unavailableError } from '../postgres/connection.ts';
import { migrateWithLock } from '../postgres/migrate.ts';
import { copyOrder } from './copy-order.ts';
import type { TableProgress, TargetColumn } from './postgres-target.ts';
import {
  advanceSequences,
  countRows,
  hasProgressTable,
  progressFingerprints,
  readProgress,
  startProgress,
  tablesWithRows,
  takeMigrateLock,
  targetColumns,
  writeChunk,
} from './postgres-target.ts';
import type { SourceTable, SqliteSource } from './sqlite-source.ts';
import { openSqliteSource } from './sqlite-source.ts';

export interface MigrateToPostgresOptions {
  /** The data dir's SQLite file; opened read-only. */
  sourceFile: string;
  /** `postgres://…` of the target database (created beforehand, empty or a resumed target). */
  url: string;
  ssl?: boolean | ConnectionOptions;
  /** Rows per chunk, each chunk one transaction with its progress mark. */
  chunkRows?: number;
  logger?: StoreLogger;
  /** Called after every chunk (and once for each empty or already copied table). */
  onProgress?: (progress: CopyProgress) => void;
  now?: () => number;
}

/** Where one table's copy stands after a chunk. */
export interface CopyProgress {
  table: string;
  copied: number;
  total: number;
  /** Rows this run copied into the table per second so far (0 before any). */
  rowsPerSecond: number;
  done: boolean;
}

export interface TableSummary {
  table: string;
  rows: number;
  /** Rows an earlier, interrupted run had already copied. */
  resumedFrom: number;
  seconds: number;
  rowsPerSecond: number;
}

export interface MigrateSummary {
  /** `host:port/database`, never the password. */
  target: string;
  resumed: boolean;
  tables: TableSummary[];
  rows: number;
  seconds: number;
}

export const DEFAULT_CHUNK_ROWS = 5_000;

/**
 * Copies every table of a SQLite data dir into a PostgreSQL database: the target's schema from
 * the store's own migrations, then table by table in foreign-key order, in rowid-ordered
 * chunks, each committed with its progress mark, so a run that stops anywhere resumes after
 * the last committed chunk and no row is written twice. Ends by moving the target's sequences
 * past the copied keys and checking every table's row count on both sides.
 */
export async function migrateToPostgres(
  options: MigrateToPostgresOptions,
): Promise<MigrateSummary> {
  const where = describeTarget(options.url);
  const now = options.now ?? Date.now;
  const started = now();
  const source = openSqliteSource(options.sourceFile);
  try {
    const target: PostgresTarget = {
      url: options.url,
      ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    };
    const logger = options.logger ?? silentLogger;
    const pool = createStorePool(target, { max: 1, readonly: false, logger });
    try {
      const client = await connect(pool, options.url, where);
      client.on('error', (error: Error) =>
        logger.warn({ where, error: error.message }, 'store.migrateToPostgres: connection failed'),
      );
      try {
        const tables = await copyAll(client, source, { ...options, target, where, now, logger });
        return summarise(where, tables, (now() - started) / 1000);
      } catch (error) {
        throw asTypedError(error, options.url, where);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  } finally {
    source.close();
  }
}

interface RunContext extends MigrateToPostgresOptions {
  target: PostgresTarget;
  where: string;
  now: () => number;
  logger: StoreLogger;
}

async function copyAll(
  client: pg.PoolClient,
  source: SqliteSource,
  run: RunContext,
): Promise<(TableSummary & { resumed: boolean })[]> {
  await takeMigrateLock(client, run.where);
  const tables = copyOrder(source.tables);
  const resumed = await hasProgressTable(client);
  if (resumed) {
    const fingerprints = await progressFingerprints(client);
    if (fingerprints.length !== 1 || fingerprints[0] !== source.fingerprint) {
      throw new AppError(
        'CONFLICT',
        `${run.where} holds an earlier migrate from a different source (or the data dir changed since that run, e.g. the daemon ran); drop that database and migrate into an empty one`,
      );
    }
  }
  await migrateWithLock(run.target, run.logger);
  if (!resumed) {
    const taken = await tablesWithRows(
      client,
      tables.map((t) => t.name),
    );
    if (taken.length > 0) {
      throw new AppError(
        'CONFLICT',
        `${run.where} already holds Crosscheck data (${taken.slice(0, 5).join(', ')}${taken.length > 5 ? ', …' : ''}); migrate into an empty database`,
      );
    }
  }
  const columns = new Map<string, TargetColumn[]>();
  for (const table of tables) columns.set(table.name, await matchColumns(client, table));
  if (!resumed) await startProgress(client, source.fingerprint, tables);
  const progress = await readProgress(client);
  const finishedBefore = resumed && tables.every((t) => progress.get(t.name)?.copied === t.rows);
  const summaries: (TableSummary & { resumed: boolean })[] = [];
  for (const table of tables) {
    const from = progress.get(table.name) ?? { table: table.name, lastRowid: 0, copied: 0 };
    const cols = columns.get(table.name) ?? [];
    summaries.push({ ...(await copyTable(client, source, table, cols, from, run)), resumed });
  }
  for (const table of tables)
    await advanceSequences(client, table.name, columns.get(table.name) ?? []);
  await verifyCounts(client, tables, finishedBefore);
  return summaries;
}

/**
 * The target's columns of a source table, in the source's order. The copier handles any table
 * both schemas share; a table or column on one side only means the two builds' schemas differ.
 */
async function matchColumns(client: pg.ClientBase, table: SourceTable): Promise<TargetColumn[]> {
  const inTarget = await targetColumns(client, table.name);
  if (inTarget.length === 0) {
    throw new AppError(
      'INTERNAL',
      `table ${table.name} of the source has no counterpart in the PostgreSQL schema`,
    );
  }
  const byName = new Map(inTarget.map((c) => [c.name, c]));
  const missing = table.columns.filter((name) => !byName.has(name));
  const extra = inTarget.filter((c) => !table.columns.includes(c.name)).map((c) => c.name);
  if (missing.length > 0 || extra.length > 0) {
    throw new AppError(
      'INTERNAL',
      `table ${table.name} differs between the schemas (source only: ${missing.join(', ') || '—'}; target only: ${extra.join(', ') || '—'})`,
    );
  }
  return table.columns.map((name) => byName.get(name) as TargetColumn);
}

async function copyTable(
  client: pg.ClientBase,
  source: SqliteSource,
  table: SourceTable,
  columns: readonly TargetColumn[],
  from: TableProgress,
  run: RunContext,
): Promise<TableSummary> {
  const limit = run.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const started = run.now();
  let at = from;
  const rate = () => {
    const seconds = (run.now() - started) / 1000;
    return seconds > 0 ? Math.round((at.copied - from.copied) / seconds) : 0;
  };
  for (let more = true; more;) {
    const chunk = source.readChunk(table, at.lastRowid, limit);
    more = chunk.rows.length === limit;
    if (chunk.rows.length === 0 && at.copied > 0) {
      // The last chunk was full (or an earlier run copied it all): nothing more to read.
      run.onProgress?.({
        table: table.name,
        copied: at.copied,
        total: table.rows,
        rowsPerSecond: rate(),
        done: true,
      });
      break;
    }
    const after = {
      table: table.name,
      lastRowid: chunk.lastRowid,
      copied: at.copied + chunk.rows.length,
    };
    await writeChunk(client, table.name, columns, chunk.rows, { first: at.copied === 0, after });
    at = after;
    run.onProgress?.({
      table: table.name,
      copied: at.copied,
      total: table.rows,
      rowsPerSecond: rate(),
      done: !more,
    });
  }
  const seconds = (run.now() - started) / 1000;
  return {
    table: table.name,
    rows: at.copied,
    resumedFrom: from.copied,
    seconds,
    rowsPerSecond: rate(),
  };
}

/**
 * Every table's row count on both sides. On a target an earlier run had already finished, a
 * difference is a coordinator that has used the database since: CONFLICT, not a failed copy.
 */
async function verifyCounts(
  client: pg.ClientBase,
  tables: readonly SourceTable[],
  finishedBefore: boolean,
): Promise<void> {
  const wrong: string[] = [];
  for (const table of tables) {
    const copied = await countRows(client, table.name);
    if (copied !== table.rows)
      wrong.push(`${table.name}: ${table.rows} in SQLite, ${copied} in PostgreSQL`);
  }
  if (wrong.length > 0 && finishedBefore) {
    throw new AppError(
      'CONFLICT',
      `the migrate into this database finished earlier and its data has changed since (a coordinator ran on it): ${wrong.join('; ')}`,
    );
  }
  if (wrong.length > 0) {
    throw new AppError('INTERNAL', `row counts differ after the copy: ${wrong.join('; ')}`);
  }
}

function summarise(
  where: string,
  tables: readonly (TableSummary & { resumed: boolean })[],
  seconds: number,
): MigrateSummary {
  return {
    target: where,
    resumed: tables.some((t) => t.resumed),
    tables: tables.map(({ resumed: _, ...rest }) => rest),
    rows: tables.reduce((sum, t) => sum + t.rows, 0),
    seconds,
  };
}

async function connect(pool: pg.Pool, url: string, where: string): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw unavailableError(url, where, error);
  }
}

/**
 * A failure as the CLI reports it: already typed, a full disk, a lost or refused connection
 * (SQLSTATE classes 08 and 57, or a socket error with no SQLSTATE), or else a bug (INTERNAL).
 */
function asTypedError(error: unknown, url: string, where: string): AppError {
  if (isAppError(error)) return error;
  if (isStorageFull(error)) return storageFullError(error, where);
  const code = (error as { code?: unknown }).code;
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  if (sqlState === undefined || sqlState.startsWith('08') || sqlState.startsWith('57')) {
    return unavailableError(url, where, error);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', `copy into ${where} failed: ${reason} (${sqlState})`, {
    cause: error,
  });
}
