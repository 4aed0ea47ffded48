import pg from 'pg';
import { AppError } from '../../lib/errors.ts';
import type { StoreLogger } from '../logger.ts';
import type { PostgresTarget } from './connection.ts';
import { describeTarget, unavailableError } from './connection.ts';

/**
 * The advisory key ("CCCO") of the one-process-per-coordinator lock: what the data dir's
 * `daemon.lock` is for SQLite, for a coordinator whose data dir may have been copied to a second
 * machine. Several coordinators share a database (one leads, ADR 0010); two processes running
 * the same coordinator would both act as it. Taken in the two-key form (this key, a hash of the
 * node id), which never collides with the one-key locks of migrations and the leader lease.
 */
export const COORDINATOR_LOCK_KEY = 0x4343434f;

const RETAKE_EVERY_MS = 10_000;

/** The lock, held on a session of its own until `release`. */
export interface CoordinatorLock {
  release(): Promise<void>;
}

/** Who takes the lock: the coordinator's node id (the key) and how its session is named. */
export interface CoordinatorLockOwner {
  nodeId: string;
  /** The session's `application_name`, shown to whoever finds the lock taken. */
  holder: string;
}

/**
 * Takes this coordinator's lock, or fails with CONFLICT naming the session that holds it. The session is the lock: TCP keepalives make a vanished coordinator's session (and so its
 * lock) end within minutes. If our own session ends (a server restart), the lock is taken
 * again every ten seconds; meanwhile the store's own queries fail anyway.
 */
export async function takeCoordinatorLock(
  target: PostgresTarget,
  owner: CoordinatorLockOwner,
  logger: StoreLogger,
  retakeEveryMs = RETAKE_EVERY_MS,
): Promise<CoordinatorLock> {
  const where = describeTarget(target.url);
  let client = await lockSession(target, owner, where);
  let released = false;
  let retake: NodeJS.Timeout | undefined;

  const watch = (session: pg.Client): void => {
    const lost = (error?: Error): void => {
      if (released || session !== client) return;
      logger.warn(
        { where, error: error?.message ?? 'closed' },
        'store.coordinatorLock: the lock session ended; taking the lock again',
      );
      schedule();
    };
    session.on('error', lost);
    session.on('end', () => lost());
  };
  const schedule = (): void => {
    retake = setTimeout(() => {
      lockSession(target, owner, where).then(
        async (session) => {
          if (released) return void (await session.end().catch(() => undefined));
          client = session;
          watch(session);
          logger.info({ where }, 'store.coordinatorLock: lock taken again');
        },
        (error: unknown) => {
          logger.warn(
            { where, error: error instanceof Error ? error.message : String(error) },
            'store.coordinatorLock: could not take the lock again',
          );
          if (!released) schedule();
        },
      );
    }, retakeEveryMs);
    retake.unref();
  };
  watch(client);
  return {
    async release() {
      released = true;
      if (retake !== undefined) clearTimeout(retake);
      // Ending the session frees the lock; a dead session has freed it already.
      await client.end().catch(() => undefined);
    },
  };
}

/** A session holding the lock, or CONFLICT / UNAVAILABLE. */
async function lockSession(target: PostgresTarget, owner: CoordinatorLockOwner, where: string) {
  const objectKey = nodeLockKey(owner.nodeId);
  const client = new pg.Client({
    connectionString: target.url,
    ...(target.ssl === undefined ? {} : { ssl: target.ssl }),
    application_name: owner.holder,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: 30_000,
    query_timeout: 30_000,
  });
  // Until `watch` adds its own: an error before then must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw unavailableError(target.url, where, error);
  }
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1, $2) as locked',
      [COORDINATOR_LOCK_KEY, objectKey],
    );
    if (rows[0]?.locked === true) return client;
    const other = await client.query<{ name: string | null; addr: string | null }>(
      `select a.application_name as name, host(a.client_addr) as addr
         from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.objsubid = 2 and l.classid = $1 and l.objid = $2
          and l.granted
          and l.database = (select oid from pg_database where datname = current_database())`,
      [COORDINATOR_LOCK_KEY, objectKey],
    );
    const row = other.rows[0];
    const who = row?.name ? ` (${row.name}${row.addr ? ` from ${row.addr}` : ''})` : '';
    throw new AppError(
      'CONFLICT',
      `this coordinator (${owner.nodeId}) is already running${who} on the database ${where}; stop that process first (a copied data dir is the same coordinator: add another with \`crosscheck coordinator join\`)`,
    );
  } catch (error) {
    await client.end().catch(() => undefined);
    if (error instanceof AppError) throw error;
    throw unavailableError(target.url, where, error);
  }
}

/**
 * The node id as the lock's second key: FNV-1a, kept to 31 bits so it is a non-negative int4
 * and reads back unchanged from `pg_locks.objid`. Two ids colliding would only make two
 * different coordinators exclude each other, with the message naming the other.
 */
export function nodeLockKey(nodeId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < nodeId.length; i++) {
    hash ^= nodeId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) & 0x7fffffff;
}
