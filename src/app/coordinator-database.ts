import type { PostgresDatabase } from '../config/database-config.ts';
import { AppError } from '../lib/errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { Store } from '../store/types.ts';
import { databaseLabel, openCoordinatorStore } from './coordinator-store.ts';
import type { HousekeepingPasses } from './housekeeping.ts';
import { startHousekeepingWorker } from './housekeeping-worker.ts';
import type { NodeContext } from './node-context.ts';
import { createStorageFullReporter, reportingStorageFull } from './storage-full.ts';

/** The coordinator's store and what depends on which database it is. */
export interface CoordinatorDatabase {
  store: Store;
  /** The SQLite file, or `postgres://host:port/db`. */
  label: string;
  /** Bytes on disk, for the size gauge. */
  bytes: () => number | Promise<number>;
  /** Where rollup, prune and the budget's measurements run; awaited last in the start. */
  passes: Promise<HousekeepingPasses>;
  /** Frees the one-coordinator lock (PostgreSQL), after the store is closed. */
  unlock: () => Promise<void>;
}

/**
 * Opens the coordinator's database and starts the housekeeping thread on it, with a connection
 * of its own (ADR 0006). SQLite: the thread also takes over the WAL checkpoints (ADR 0009).
 * PostgreSQL: the one-coordinator lock first, then the store, which must hold this
 * coordinator; the thread's pool has two connections and checkpoints nothing. (On the daemon's
 * own pool the rollup's row handling cost the event loop 27–41 ms stalls a minute at 2,000 to
 * 10,000 monitors: `bench/postgres-housekeeping.ts`.)
 */
export async function openCoordinatorDatabase(
  ctx: NodeContext,
  log: Logger,
): Promise<CoordinatorDatabase> {
  const database = ctx.database ?? { kind: 'sqlite', file: ctx.paths.database };
  const unlock = database.kind === 'postgres' ? await lockDatabase(ctx, database, log) : noLock;
  if (database.kind === 'postgres') await assertDatabaseOfThisCoordinator(ctx, database);
  const opened = await openCoordinatorStore(database, { logger: log });
  const store = reportingStorageFull(opened.store, createStorageFullReporter(log, ctx.clock));
  ctx.cleanups.push(() => store.close());
  // The housekeeping thread loads its modules for a second or more on a busy machine: started
  // now, beside the rest of the start, and awaited last. The catch only keeps a failure from
  // counting as unhandled before that await, which rethrows it.
  const passes = startHousekeepingWorker({
    ...(database.kind === 'sqlite'
      ? { file: database.file }
      : {
          postgres: { url: database.url, sslmode: database.sslmode, caPem: database.caPem },
        }),
    logger: log,
    writer: opened.writer,
  });
  passes.catch(() => undefined);
  ctx.cleanups.push(async () => {
    const started = await passes.catch(() => undefined);
    await started?.close();
  });
  return { store, label: opened.label, bytes: opened.bytes, passes, unlock };
}

const noLock = (): Promise<void> => Promise.resolve();

async function lockDatabase(
  ctx: NodeContext,
  database: PostgresDatabase,
  log: Logger,
): Promise<() => Promise<void>> {
  const { takeCoordinatorLock } = await import('../store/postgres/coordinator-lock.ts');
  const lock = await takeCoordinatorLock(
    { url: database.url, ssl: database.ssl },
    {
      nodeId: ctx.identity.nodeId,
      holder: `crosscheck coordinator ${ctx.identity.name} (${ctx.identity.nodeId})`,
    },
    log,
  );
  ctx.cleanups.push(() => lock.release());
  return () => lock.release();
}

/**
 * A PostgreSQL database must hold this coordinator (init put its node there; `migrate` copies
 * it): an empty or foreign database means a wrong URL, and starting on it would look like a
 * coordinator that lost every monitor. Checked before the store migrates anything into it.
 */
async function assertDatabaseOfThisCoordinator(
  ctx: NodeContext,
  database: PostgresDatabase,
): Promise<void> {
  const { databaseHoldsNode } = await import('../store/postgres/holds-node.ts');
  const nodeId = ctx.identity.nodeId;
  if (await databaseHoldsNode({ url: database.url, ssl: database.ssl }, nodeId)) return;
  throw new AppError(
    'CONFLICT',
    `the database ${databaseLabel(database)} holds no data of this coordinator (${nodeId}): check the database URL, move a SQLite data dir there with \`crosscheck migrate --to\`, or set up a new data dir with \`crosscheck init --database-url\``,
  );
}
