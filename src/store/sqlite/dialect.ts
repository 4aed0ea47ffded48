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
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Kysely's SQLite dialect, with `begin immediate` transactions unless read-only. */
export function crosscheckSqliteDialect(database: SqliteDatabase, readonly: boolean): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () =>
      readonly ? new SqliteDriver({ database }) : new ImmediateTransactionDriver({ database }),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}
