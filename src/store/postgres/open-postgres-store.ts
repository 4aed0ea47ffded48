import type { ConnectionOptions } from 'node:tls';
import { Kysely, sql, PostgresDialect } from 'kysely';
import type { StoreLogger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { assertSchemaCurrent } from '../migrations/index.ts';
import { upsertDayBucketsWithKysely } from '../sql/day-buckets.ts';
import { insertMonitorRowsWithKysely } from '../sql/monitors.ts';
import type { Database } from '../sql/schema.ts';
import { SqlStore } from '../sql/sql-store.ts';
import { upsertStatesWithKysely } from '../sql/states.ts';
import type { Store } from '../types.ts';
import type { PostgresTarget } from './connection.ts';
import { createStorePool, describeTarget, unavailableError } from './connection.ts';
import { migrateWithLock } from './migrate.ts';
import { insertResultsWithUnnest, insertResultsWithValues } from './result-insert.ts';
import { postgresDatabaseBytes, postgresSpaceBytes } from './space.ts';
import { upsertStatesWithJson } from './state-upsert.ts';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (`sslmode` and friends as pg reads them). */
  url: string;
  /** TLS options for the connection (CA, client certificate); overrides the URL's sslmode. */
  ssl?: boolean | ConnectionOptions;
  /** Read only (the CLI while no daemon runs): no migration, every transaction read-only. */
  readonly?: boolean;
  logger?: StoreLogger;
  /**
   * Connections in the pool. A write transaction holds one for its length; reads outside it
   * run on the others (PostgreSQL's MVCC: they see the last commit and never wait for it).
   */
  poolSize?: number;
  /**
   * Write results with the portable multi-row INSERT … VALUES writer instead of the unnest
   * one, as SQLite's `portableWriters` does: so both stay tested, and the bench compares them.
   */
  portableWriters?: boolean;
}

const DEFAULT_POOL_SIZE = 8;

/**
 * Opens (and migrates, unless read-only) the store in a PostgreSQL database: the same SQL
 * store as SQLite's, over Kysely's PostgresDialect and a pg pool. Fails with UNAVAILABLE,
 * naming host:port but never the password, when the server cannot be reached or refuses us.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const where = describeTarget(options.url);
  const readonly = options.readonly ?? false;
  const logger = options.logger ?? silentLogger;
  const target: PostgresTarget = {
    url: options.url,
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
  };
  const pool = createStorePool(target, {
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    readonly,
    logger,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await reach(db, options.url, where);
    if (readonly) {
      await assertSchemaCurrent(db, where);
    } else {
      const applied = await migrateWithLock(target, logger);
      if (applied.length > 0) logger.info({ where, applied }, 'store.openPostgresStore: migrated');
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new SqlStore({
    db,
    dialect: 'postgres',
    readonly,
    logger,
    sizeBytes: () => postgresDatabaseBytes(db),
    spaceBytes: (tables) => postgresSpaceBytes(db, tables),
    insertResults: options.portableWriters ? insertResultsWithValues : insertResultsWithUnnest,
    upsertStates: options.portableWriters ? upsertStatesWithKysely : upsertStatesWithJson,
    upsertDays: upsertDayBucketsWithKysely,
    insertMonitorRows: insertMonitorRowsWithKysely,
  });
}

/**
 * One round trip, so a wrong address, password or database fails here with a clear error.
 * Through Kysely, not the pool: Kysely ends the pool on `destroy` only when its driver has run a
 * query, so a store closed right after opening would leave this connection open.
 */
async function reach(db: Kysely<Database>, url: string, where: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    throw unavailableError(url, where, error);
  }
}
