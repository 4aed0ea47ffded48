import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../lib/errors.ts';
import type { LeaderWriteFence } from '../leader-write-fence.ts';
import type { StoreLogger } from '../logger.ts';
import type { DayUpserter } from './day-buckets.ts';
import { assertLeaderEpoch } from './leader-fence.ts';
import type { MonitorRowInserter } from './monitors.ts';
import type { ResultInserter } from './results.ts';
import type { Database, SqlDialectName } from './schema.ts';
import type { StateUpserter } from './states.ts';

/** What a SQL backend supplies; everything else is shared Kysely code. */
export interface SqlBackend {
  /** The writer: every write and every transaction that writes. */
  db: Kysely<Database>;
  /**
   * Where reads outside a write transaction go; `db` when absent. On SQLite a second,
   * read-only connection to the same WAL file: it reads the last committed snapshot without
   * waiting for the writer, whose Kysely connection lock a long transaction (an apply of
   * 100,000 monitors, a bulk create, an ingest batch) holds until it commits.
   */
  reader?: Kysely<Database>;
  /** Picks the few queries with dialect-specific SQL (JSON operators). */
  dialect: SqlDialectName;
  /** Bytes the database occupies on disk (including any write-ahead log). */
  sizeBytes(): Promise<number>;
  /**
   * Bytes of the file and WAL, of pages in use, and of `tables` with their indexes (a name
   * that is no table, or a view, counts nothing).
   */
  spaceBytes(
    tables: readonly string[],
  ): Promise<{ fileBytes: number; usedBytes: number; tableBytes: number }>;
  /** Result writer for commitBatch; a backend may swap in a faster native path. */
  insertResults: ResultInserter;
  /** Runtime-state writer for commitBatch; a backend may swap in a faster native path. */
  upsertStates: StateUpserter;
  /** Day-bucket writer for rollup; a backend may swap in a faster native path. */
  upsertDays: DayUpserter;
  /** New-monitor writer for bulk creates and applies; a backend may swap in a native path. */
  insertMonitorRows: MonitorRowInserter;
  /** When true, every write fails fast with a clear error. */
  readonly: boolean;
  logger: StoreLogger;
  /** Runs after the Kysely instance is destroyed (e.g. closing file handles). */
  onClose?: () => Promise<void>;
  /**
   * Runs after `reader` is destroyed, before `db`: Kysely's destroy skips a driver that never
   * connected, so a reader that served no query must have its handle closed here.
   */
  onReaderClosed?: () => void;
}

/**
 * What every part of the SQL store shares: the backend, its Kysely instances, closing, and the
 * read-only guard every write goes through. The Store contract is served by a short chain of
 * classes over it (settings, then monitoring data) so each file stays readable.
 *
 * The choice of connection is made here and in those classes, never by callers: writes and
 * transactions use `db`; a read method that stands alone (health counts, a monitor, its status,
 * listings) uses `reader`. Every write the store makes has committed by the time its promise
 * settles, and a read on the reader starts a new read transaction, which sees every commit made
 * before it: a caller that awaited a write reads it back. What a reader never sees is a write
 * transaction still open — it reads the state before it instead of waiting for its commit.
 */
export abstract class SqlStoreBase {
  protected readonly backend: SqlBackend;
  protected readonly db: Kysely<Database>;
  protected readonly reader: Kysely<Database>;
  #closed = false;
  #fence: LeaderWriteFence | undefined;

  constructor(backend: SqlBackend) {
    this.backend = backend;
    this.db = backend.db;
    this.reader = backend.reader ?? backend.db;
  }

  get dialect(): SqlDialectName {
    return this.backend.dialect;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // The reader first: the last connection to close checkpoints the WAL and removes it, which
    // a read-only connection cannot do.
    if (this.reader !== this.db) {
      await this.reader.destroy();
      this.backend.onReaderClosed?.();
    }
    await this.db.destroy();
    await this.backend.onClose?.();
  }

  fenceLeaderWrites(fence: LeaderWriteFence): void {
    this.#fence = fence;
  }

  /**
   * A leader write: one transaction that, once a fence is set, first asserts the epoch this
   * coordinator leads under. The epoch is read once, before the transaction writes anything, so
   * a lease lost midway cannot move the write under another epoch.
   */
  protected leaderWrite<T>(body: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.write(() => {
      const fence = this.#fence;
      if (fence === undefined) return this.db.transaction().execute(body);
      const epoch = fence.epoch();
      return this.db.transaction().execute(async (trx) => {
        await assertLeaderEpoch(trx, this.backend.dialect, epoch);
        return body(trx);
      });
    });
  }

  protected write<T>(operation: () => Promise<T>): Promise<T> {
    if (this.backend.readonly) {
      return Promise.reject(
        new AppError('INTERNAL', 'store.write: this store was opened read-only'),
      );
    }
    return operation();
  }
}
