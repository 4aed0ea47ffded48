import { Kysely } from 'kysely';
import type { StoreLogger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { assertSchemaCurrent, migrateToLatest } from '../migrations/index.ts';
import type { Database } from '../sql/schema.ts';
import { upsertDayBucketsWithKysely } from '../sql/day-buckets.ts';
import { insertMonitorRowsWithKysely } from '../sql/monitors.ts';
import { insertResultsWithKysely } from '../sql/results.ts';
import { SqlStore } from '../sql/sql-store.ts';
import { upsertStatesWithKysely } from '../sql/states.ts';
import type { Store } from '../types.ts';
import type { SqliteHandle } from './connection.ts';
import {
  databaseSizeBytes,
  openDatabaseFile,
  openReaderConnection,
  readerCanShare,
} from './connection.ts';
import { crosscheckSqliteDialect } from './dialect.ts';
import { sqliteSpaceBytes } from './space.ts';
import type { WriterCheckpoints } from './wal-checkpoints.ts';
import { writerCheckpoints } from './wal-checkpoints.ts';
import { nativeDayUpserter } from './native-day-upsert.ts';
import { nativeMonitorInserter } from './native-monitor-insert.ts';
import { nativeResultInserter } from './native-result-insert.ts';
import { nativeStateUpserter } from './native-state-upsert.ts';

export interface SqliteStoreOptions {
  /** Path of the database file; created (mode 0600) unless read-only. */
  file: string;
  /** Open for reading only (CLI reads while no daemon runs): no migration, no writes. */
  readonly?: boolean;
  logger?: StoreLogger;
  /**
   * Use the portable Kysely writers instead of the native prepared statements (the ones a
   * PostgreSQL backend will use); the contract suite runs both ways so neither goes untested.
   */
  portableWriters?: boolean;
}

/** Opens (and migrates, unless read-only) the SQLite store at `options.file`. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  return (await openSqliteStoreWithWriter(options)).store;
}

/** The store, and its writer's WAL checkpoints for a checkpointer elsewhere (ADR 0009). */
export interface OpenedSqliteStore {
  store: Store;
  /** Undefined for a read-only, in-memory or non-WAL store: it checkpoints by itself. */
  writer: WriterCheckpoints | undefined;
}

/** `openSqliteStore`, also giving the writer's checkpoint control (the daemon hands it over). */
export async function openSqliteStoreWithWriter(
  options: SqliteStoreOptions,
): Promise<OpenedSqliteStore> {
  const { file } = options;
  const readonly = options.readonly ?? false;
  const logger = options.logger ?? silentLogger;
  const handle = openDatabaseFile(file, readonly, logger);
  const db = new Kysely<Database>({ dialect: crosscheckSqliteDialect(handle, readonly) });
  try {
    if (readonly) {
      await assertSchemaCurrent(db, file);
    } else {
      const applied = await migrateToLatest(db, 'sqlite', { logger });
      if (applied.length > 0) logger.info({ file, applied }, 'store.openSqliteStore: migrated');
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const readerHandle = await openReader(file, handle, readonly, db);
  const reader =
    readerHandle === handle
      ? db
      : new Kysely<Database>({ dialect: crosscheckSqliteDialect(readerHandle, true) });
  const store = new SqlStore({
    db,
    reader,
    dialect: 'sqlite',
    readonly,
    logger,
    // Measured on the reader: a committed figure, and no wait for an open write transaction.
    sizeBytes: () => Promise.resolve(databaseSizeBytes(readerHandle, file)),
    spaceBytes: (tables) => Promise.resolve(sqliteSpaceBytes(readerHandle, file, tables)),
    // Else a reader that never read stays open, and the writer, no longer last, keeps the WAL.
    onReaderClosed: () => {
      if (readerHandle !== handle && readerHandle.open) readerHandle.close();
    },
    ...(options.portableWriters
      ? {
          insertResults: insertResultsWithKysely,
          upsertStates: upsertStatesWithKysely,
          upsertDays: upsertDayBucketsWithKysely,
          insertMonitorRows: insertMonitorRowsWithKysely,
        }
      : {
          insertResults: nativeResultInserter(handle),
          upsertStates: nativeStateUpserter(handle),
          upsertDays: nativeDayUpserter(handle),
          insertMonitorRows: nativeMonitorInserter(handle),
        }),
  });
  return { store, writer: readonly ? undefined : writerCheckpoints(file, handle) };
}

/**
 * The connection the store reads through (see `SqlStoreBase`): a second one, read-only, when
 * it can share the writer's data; the writer itself for a read-only store (it writes nothing,
 * so there is no writer to wait for) and for a database a second connection cannot see (in
 * memory, or not in WAL mode).
 */
async function openReader(
  file: string,
  writer: SqliteHandle,
  readonly: boolean,
  db: Kysely<Database>,
): Promise<SqliteHandle> {
  if (readonly || !readerCanShare(file, writer)) return writer;
  try {
    return openReaderConnection(file, writer);
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
