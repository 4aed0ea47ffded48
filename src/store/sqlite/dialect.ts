import type { DatabaseConnection, Dialect, SqliteDatabase } from 'kysely';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/**
 * Kysely's SQLite driver starts transactions with a deferred `begin`, which takes the write
 * lock only at the first write; a transaction that reads first can then fail with
 * SQLITE_BUSY_SNAPSHOT instead of waiting out busy_timeout. Every transaction the daemon
 * runs writes, so it takes the write lock up front.
 */
class ImmediateTransactionDriver extends SqliteDriver {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    super({ database });
    this.#database = database;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /**
   * SQLite rolls a transaction back by itself after some errors (SQLITE_FULL, SQLITE_IOERR,
   * SQLITE_NOMEM…). Kysely's `rollback` would then fail with "no transaction is active" and
   * that error would replace the real one (a full disk would surface as an internal error).
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!stillInTransaction(this.#database)) return;
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
}

/** better-sqlite3's `inTransaction`; Kysely's interface does not declare it. */
function stillInTransaction(database: SqliteDatabase): boolean {
  return !('inTransaction' in database) || database.inTransaction !== false;
}

/**
 * SQLite runs DDL inside transactions, but Kysely's adapter says it cannot, so its Migrator
 * would apply a migration statement by statement; a crash halfway through the first start
 * would leave half a schema that the next start cannot migrate. Saying yes makes each
 * migration run in one transaction.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Kysely's SQLite dialect, with `begin immediate` transactions unless read-only. */
export function crosscheckSqliteDialect(database: SqliteDatabase, readonly: boolean): Dialect {
  return {
    createAdapter: () => new TransactionalDdlSqliteAdapter(),
    createDriver: () =>
      readonly ? new SqliteDriver({ database }) : new ImmediateTransactionDriver(database),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}
