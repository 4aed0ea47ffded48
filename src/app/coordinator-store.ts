import fs from 'node:fs';
import type { DatabaseChoice } from '../config/database-config.ts';
import type { StoreLogger } from '../store/logger.ts';
import type { WriterCheckpoints } from '../store/sqlite/wal-checkpoints.ts';
import type { Store } from '../store/types.ts';
import { databaseFileBytes } from './storage-budget.ts';

/** The coordinator's store, opened on whichever database its data dir is configured for. */
export interface OpenedCoordinatorStore {
  store: Store;
  /** SQLite's writer checkpoints, handed to the housekeeping thread; undefined on PostgreSQL. */
  writer: WriterCheckpoints | undefined;
  /** The SQLite file's path, or `postgres://host:port/db`: for health and messages (no password). */
  label: string;
  /** Bytes of the database on disk, for the size gauge at each scrape. */
  bytes: () => number | Promise<number>;
}

/** What health and messages show for a database: never a password. */
export function databaseLabel(database: DatabaseChoice): string {
  return database.kind === 'sqlite' ? database.file : `postgres://${database.where}`;
}

/**
 * Opens (and migrates, unless read-only) the store. Each backend's modules load only when
 * used: a SQLite coordinator never loads `pg`'s pool code, a PostgreSQL one never opens a file.
 */
export async function openCoordinatorStore(
  database: DatabaseChoice,
  options: { logger?: StoreLogger; readonly?: boolean } = {},
): Promise<OpenedCoordinatorStore> {
  const label = databaseLabel(database);
  if (database.kind === 'sqlite') {
    const { openSqliteStoreWithWriter } = await import('../store/sqlite/open-sqlite-store.ts');
    const opened = await openSqliteStoreWithWriter({
      file: database.file,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.readonly === true ? { readonly: true } : {}),
    });
    return { ...opened, label, bytes: () => databaseFileBytes(database.file) };
  }
  const { openPostgresStore } = await import('../store/postgres/open-postgres-store.ts');
  const store = await openPostgresStore({
    url: database.url,
    ssl: database.ssl,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.readonly === true ? { readonly: true } : {}),
  });
  return { store, writer: undefined, label, bytes: () => store.databaseBytes() };
}

/** True when the data dir's database has something to read (SQLite: its file exists). */
export function databaseExists(database: DatabaseChoice): boolean {
  return database.kind === 'postgres' || fs.existsSync(database.file);
}
