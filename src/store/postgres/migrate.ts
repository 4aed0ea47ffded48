import { Kysely, PostgresDialect } from 'kysely';
import type { StoreLogger } from '../logger.ts';
import { migrateToLatest } from '../migrations/index.ts';
import type { Database } from '../sql/schema.ts';
import type { PostgresTarget } from './connection.ts';
import { createStorePool } from './connection.ts';

/**
 * The session advisory lock every Crosscheck coordinator takes around migrating ("ccmg").
 * Kysely's migrator takes its own lock, but only after it has created its bookkeeping tables,
 * and two `create table if not exists` at once can still fail on PostgreSQL's catalog; this one
 * covers the whole run. Other advisory keys of the project (the leader lease) differ from it.
 */
export const MIGRATION_LOCK_KEY = 0x63636d67;

/**
 * How long a coordinator waits for another one's migration: a large rewrite (0017 on millions
 * of rows) takes minutes; past this the start fails clearly instead of hanging.
 */
const LOCK_WAIT_MS = 15 * 60_000;

/**
 * Applies pending migrations while holding the migration lock, on connections of their own
 * without the store's statement timeout (a migration's copy may run long). A second
 * coordinator opening at the same time waits for the lock, then finds nothing to apply.
 */
export async function migrateWithLock(
  target: PostgresTarget,
  logger: StoreLogger,
): Promise<string[]> {
  const pool = createStorePool(target, { max: 2, readonly: false, logger, unlimited: true });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    const lock = await pool.connect();
    try {
      await lock.query(`set lock_timeout = ${LOCK_WAIT_MS}`);
      await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        return await migrateToLatest(db, 'postgres', { logger });
      } finally {
        await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      lock.release();
    }
  } finally {
    // Ends the pool too (Kysely's PostgresDriver owns it).
    await db.destroy();
  }
}
