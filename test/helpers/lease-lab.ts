import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { LeaseConnectionConfig } from '../../src/cluster/lease/lease-connection.ts';
import type { LeaseTimings } from '../../src/cluster/lease/lease-decision.ts';
import { createPostgresLease } from '../../src/cluster/lease/postgres-lease.ts';
import type { LeaderLease, LeaseLossReason } from '../../src/cluster/lease/types.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { migrateToLatest } from '../../src/store/migrations/index.ts';
import { openTcpSockets, settlesTo } from './open-handles.ts';
import { startPostgres } from './postgres-server.ts';
import type { TestPostgres } from './postgres-server.ts';

// A throwaway PostgreSQL with the store's schema (so the lease row comes from its migration), a
// non-superuser role the coordinators log in as (terminating each other's lease sessions works
// by the same-role rule, as in production), and leases that record what they tell.

/** Short timings so a file runs in seconds: 1.5 s lease, renewed every 300 ms, 300 ms margin. */
export const TEST_TIMINGS: LeaseTimings = { ttlMs: 1_500, renewEveryMs: 300, marginMs: 300 };

const ROLE = 'crosscheck';
const ROLE_PASSWORD = 'lease-test-pw';
const DATABASE = 'crosscheck';

export interface LeaseLab {
  server: TestPostgres;
  /** A superuser session on the coordinators' database. */
  admin: pg.Client;
  /** How a coordinator connects (its role, not the superuser). */
  connection: LeaseConnectionConfig;
  /** A store-like Kysely over the coordinators' role (idle sessions close after 100 ms). */
  openDb(): Kysely<unknown>;
  /** Frees the row and ends every lease session, between tests. */
  reset(): Promise<void>;
  leaseSessions(): Promise<number[]>;
  stop(): Promise<void>;
}

export async function startLeaseLab(): Promise<LeaseLab> {
  const socketsBefore = openTcpSockets();
  const server = await startPostgres();
  const superuser = { host: server.host, port: server.port, user: server.superuser };
  const setup = new pg.Client({ ...superuser, password: server.password, database: 'postgres' });
  await setup.connect();
  await setup.query(`create role ${ROLE} login password '${ROLE_PASSWORD}'`);
  await setup.query(`create database ${DATABASE} owner ${ROLE}`);
  await setup.end();
  const connection: LeaseConnectionConfig = {
    host: server.host,
    port: server.port,
    user: ROLE,
    password: ROLE_PASSWORD,
    database: DATABASE,
  };
  const openDb = (): Kysely<unknown> =>
    new Kysely<unknown>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ ...connection, max: 3, idleTimeoutMillis: 100 }),
      }),
    });
  const db = openDb();
  await migrateToLatest(db, 'postgres');
  await db.destroy();
  // The pool's sockets close a moment after destroy(): tests count sockets from a settled state.
  await settlesTo(openTcpSockets, socketsBefore, 'sockets of the migration');
  const admin = new pg.Client({ ...superuser, password: server.password, database: DATABASE });
  await admin.connect();
  const leaseSessions = async (): Promise<number[]> => {
    const { rows } = await admin.query<{ pid: number }>(
      "select pid from pg_stat_activity where application_name like 'crosscheck-lease:%'",
    );
    return rows.map((row) => row.pid);
  };
  return {
    server,
    admin,
    connection,
    openDb,
    leaseSessions,
    reset: async () => {
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where application_name like 'crosscheck-lease:%'",
      );
      await admin.query(
        'update leader_lease set holder = null, expires_at = 0, holder_backend_pid = null, holder_address = null',
      );
    },
    stop: async () => {
      await admin.end();
      await server.stop();
    },
  };
}

/** What a lease told its listener, with when (performance.now()). */
export type Told =
  | { kind: 'acquired'; epoch: number; at: number }
  | { kind: 'lost'; reason: LeaseLossReason; at: number };

export interface RecordedLease {
  lease: LeaderLease;
  told: Told[];
  acquired(): number[];
  lost(): LeaseLossReason[];
}

/** A lease on the lab's database that keeps everything it tells. */
export function recordedLease(
  lab: LeaseLab,
  self: string,
  options: { clock?: Clock; timings?: LeaseTimings } = {},
): RecordedLease {
  const told: Told[] = [];
  const lease = createPostgresLease({
    connection: lab.connection,
    self,
    address: `${self}.test:7433`,
    timings: options.timings ?? TEST_TIMINGS,
    clock: options.clock ?? systemClock,
    logger: silentLogger(),
    events: {
      acquired: (epoch) => told.push({ kind: 'acquired', epoch, at: performance.now() }),
      lost: (reason) => told.push({ kind: 'lost', reason, at: performance.now() }),
    },
  });
  return {
    lease,
    told,
    acquired: () => told.flatMap((t) => (t.kind === 'acquired' ? [t.epoch] : [])),
    lost: () => told.flatMap((t) => (t.kind === 'lost' ? [t.reason] : [])),
  };
}

/**
 * The real clock whose timers can be held, as a paused process's would be: `pause()` and no
 * renewal or overdue timer fires any more; sockets (another process's doing) still act.
 */
export function pausableClock(): Clock & { pause(): void } {
  let paused = false;
  return {
    now: () => systemClock.now(),
    monotonic: () => systemClock.monotonic(),
    setTimeout: (callback, delayMs) =>
      systemClock.setTimeout(() => {
        if (!paused) callback();
      }, delayMs),
    clearTimeout: (handle) => systemClock.clearTimeout(handle),
    pause: () => {
      paused = true;
    },
  };
}

/** Polls (bounded) until `predicate` holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!(await predicate())) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
