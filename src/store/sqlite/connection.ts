import BetterSqlite3 from 'better-sqlite3';
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../lib/errors.ts';
import type { StoreLogger } from '../logger.ts';

/** The open better-sqlite3 handle type. */
export type SqliteHandle = BetterSqlite3.Database;

/**
 * Opens the database file with Crosscheck's PRAGMAs. A new file is created with mode 0600
 * first; SQLite gives its -wal and -shm files the main file's permissions, so they are 0600
 * too. A read-only open never creates anything and fails clearly when the file is missing.
 */
export function openDatabaseFile(
  file: string,
  readonly: boolean,
  logger: StoreLogger,
): SqliteHandle {
  if (readonly) return openReadonly(file);
  // An in-memory database has no file: creating one would leave a file named ":memory:".
  if (!inMemory(file)) createPrivateFile(file, logger);
  const handle = new BetterSqlite3(file);
  try {
    const mode = handle.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      logger.warn(
        { file, mode },
        'store.openDatabaseFile: WAL unavailable, using the reported mode',
      );
    }
    handle.pragma('synchronous = NORMAL');
    handle.pragma('foreign_keys = ON');
    handle.pragma('busy_timeout = 5000');
  } catch (error) {
    handle.close();
    throw error;
  }
  return handle;
}

function openReadonly(file: string): SqliteHandle {
  if (!existsSync(file)) {
    throw new AppError('UNAVAILABLE', `no database at ${file}; start the daemon once to create it`);
  }
  const handle = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  handle.pragma('busy_timeout = 5000');
  return handle;
}

/**
 * A second, read-only connection to a database the writer `handle` has open (and migrated):
 * the store's reads go through it. In WAL mode a reader reads the last committed snapshot and
 * never waits for the writer's transaction. Read-only at open (not `query_only`), so no write
 * can slip through it. The writer's settings that shape reads are copied: busy_timeout (a
 * reader can meet SQLITE_BUSY while the WAL index is rebuilt after a crash) and cache_size.
 */
export function openReaderConnection(file: string, writer: SqliteHandle): SqliteHandle {
  const handle = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    handle.pragma(`busy_timeout = ${Number(writer.pragma('busy_timeout', { simple: true }))}`);
    handle.pragma(`cache_size = ${Number(writer.pragma('cache_size', { simple: true }))}`);
  } catch (error) {
    handle.close();
    throw error;
  }
  return handle;
}

/**
 * Whether a second connection can read beside the writer: only for a file in WAL mode. An
 * in-memory database is private to its connection. With a rollback journal a writer locks
 * readers out whenever it spills its cache or commits, so during a long transaction a second
 * connection's reads would fail with SQLITE_BUSY after busy_timeout instead of waiting their
 * turn on the one connection.
 */
export function readerCanShare(file: string, writer: SqliteHandle): boolean {
  if (inMemory(file)) return false;
  return writer.pragma('journal_mode', { simple: true }) === 'wal';
}

/** SQLite's names for a private database (in memory, or a temporary file it deletes). */
function inMemory(file: string): boolean {
  return file === '' || file === ':memory:' || file.startsWith('file::memory:');
}

function createPrivateFile(file: string, logger: StoreLogger): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      logger.warn(
        { file, mode: mode.toString(8) },
        'store.openDatabaseFile: database file is readable by other users',
      );
    }
    return;
  }
  try {
    // The umask may have narrowed the mode given to open; set it exactly.
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

/** Bytes on disk: pages in use by the database plus the current write-ahead log. */
export function databaseSizeBytes(handle: SqliteHandle, file: string): number {
  const pages = Number(handle.pragma('page_count', { simple: true }));
  const pageSize = Number(handle.pragma('page_size', { simple: true }));
  let walBytes = 0;
  try {
    walBytes = statSync(`${file}-wal`).size;
  } catch {
    // No WAL file (read-only open of a cleanly closed database, or not in WAL mode).
  }
  return pages * pageSize + walBytes;
}
