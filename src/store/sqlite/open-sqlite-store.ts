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
import { databaseSizeBytes, openDatabaseFile } from './connection.ts';
import { crosscheckSqliteDialect } from './dialect.ts';
import { sqliteSpaceBytes } from './space.ts';
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
  return new SqlStore({
    db,
    dialect: 'sqlite',
    readonly,
    logger,
    sizeBytes: () => Promise.resolve(databaseSizeBytes(handle, file)),
    spaceBytes: (tables) => Promise.resolve(sqliteSpaceBytes(handle, file, tables)),
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
}
