import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import { decideLease, isActing, yieldAfterLoss } from './lease-decision.ts';
import type { LeaseTimings } from './lease-decision.ts';
import { openLeaseConnection } from './lease-connection.ts';
import { parseLeaseTimings } from './lease-settings.ts';
import type { LeaseConnection, LeaseConnectionConfig } from './lease-connection.ts';
import type { LeaseRow } from './lease-queries.ts';
import {
  acquireLeaseRow,
  readLeaseRow,
  releaseLeaseLock,
  releaseLeaseRow,
  renewLeaseRow,
  terminateExpiredLockHolder,
  tryLeaseLock,
} from './lease-queries.ts';
import type { LeaderLease, LeaseEvents, LeaseLossReason, LeaseState } from './types.ts';

export interface PostgresLeaseDeps {
  connection: LeaseConnectionConfig;
  /** This coordinator's id: the row's `holder` while it leads. */
  self: string;
  /** Where agents reach this coordinator's peer port (host:port), written while it leads. */
  address?: string;
  timings: LeaseTimings;
  events: LeaseEvents;
  clock: Clock;
  logger: Logger;
}

/** How often, and how many times, to look for a terminated holder's lock to go. */
const LOCK_RETRY = { attempts: 25, delayMs: 20 };

/**
 * The leader lease on PostgreSQL: a loop on its own connection that every `renewEveryMs` reads
 * the row, asks the pure rule (`lease-decision.ts`) and acquires, renews or steps down. Losing
 * the connection is losing the lease at once; the next turn reconnects as a candidate. A timer
 * at ttl − margin after each renewal makes sure `lost` is told even while a query hangs.
 */
export function createPostgresLease(deps: PostgresLeaseDeps): LeaderLease {
  // Checked here too: timings that cannot keep a healthy holder holding are a VALIDATION error.
  const timings = parseLeaseTimings(deps.timings);
  const { clock, events } = deps;
  const log = deps.logger.child({ component: 'cluster/lease' });
  let connection: LeaseConnection | null = null;
  let holdsLock = false;
  let heldEpoch: number | null = null;
  let lastEpoch = 0;
  let lastRenewalAt: number | null = null;
  let since: number | null = null;
  let running = false;
  let loopTimer: TimerHandle | null = null;
  let overdueTimer: TimerHandle | null = null;
  let turn: Promise<void> | null = null;
  /** A release was announced during a turn: run another as soon as it ends. */
  let again = false;
  let unreachableSince: number | null = null;
  let yieldUntil: number | null = null;
  /** The row at the last look: who leads, for followers sending agents there. */
  let observed: LeaseRow | null = null;

  /** A listener's failure is logged, never allowed to stop the lease loop. */
  function tell(what: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      log.error({ err: error, event: what }, 'lease listener failed');
    }
  }

  function current(): LeaseState {
    const holding =
      heldEpoch !== null && connection !== null && isActing(lastRenewalAt, clock.now(), timings);
    return holding && since !== null
      ? { holding, epoch: heldEpoch ?? lastEpoch, since }
      : { holding: false, epoch: heldEpoch ?? lastEpoch };
  }

  /** Stops acting first (so `current()` is false), then tells the listener once. */
  function lose(reason: LeaseLossReason): void {
    if (heldEpoch === null) return;
    log.warn({ epoch: heldEpoch, reason }, 'leader lease lost');
    heldEpoch = null;
    lastRenewalAt = null;
    since = null;
    yieldUntil = yieldAfterLoss(clock.now(), timings);
    if (overdueTimer !== null) clock.clearTimeout(overdueTimer);
    overdueTimer = null;
    tell('lost', () => events.lost(reason));
  }

  /** Drops the connection, and with it the lock; the next turn reconnects. */
  async function drop(): Promise<void> {
    const closing = connection;
    connection = null;
    holdsLock = false;
    await closing?.close();
  }

  function armOverdue(renewedAt: number): void {
    if (overdueTimer !== null) clock.clearTimeout(overdueTimer);
    const delay = Math.max(0, renewedAt + timings.ttlMs - timings.marginMs - clock.now());
    overdueTimer = clock.setTimeout(() => {
      overdueTimer = null;
      if (heldEpoch === null || lastRenewalAt === null) return;
      if (!isActing(lastRenewalAt, clock.now(), timings)) {
        lose('renewal-overdue');
        void drop();
      }
      // Timers may fire a millisecond before the wall clock shows their due time. Unarmed, the
      // next look would be the turn stuck on the renewal that does not answer (a database cut
      // off), up to a whole ttl later: past the expiry, while another coordinator leads.
      else armOverdue(lastRenewalAt);
    }, delay);
  }

  /** Opens the dedicated connection; its end (terminated, broken) is a lost lease at once. */
  async function open(): Promise<LeaseConnection> {
    const opened = await openLeaseConnection(deps.connection, deps.self, timings, {
      onEnd: (error) => {
        if (connection !== opened) return;
        connection = null;
        holdsLock = false;
        log.warn({ err: error ?? undefined }, 'leader lease connection ended');
        lose('connection-lost');
      },
      // A planned handover: look now rather than up to a renew period later.
      onRelease: () => runTurn(),
    });
    connection = opened;
    return opened;
  }

  /** The connection, reopened if it was lost; null while the database cannot be reached. */
  async function connect(): Promise<LeaseConnection | null> {
    if (connection !== null) return connection;
    try {
      const opened = await open();
      if (unreachableSince !== null) log.info('leader lease connection restored');
      unreachableSince = null;
      return opened;
    } catch (error) {
      // Logged once per outage: every turn retries, which is the backoff.
      if (unreachableSince === null) log.error({ err: error }, 'leader lease cannot connect');
      unreachableSince ??= clock.now();
      return null;
    }
  }

  async function acquire(conn: LeaseConnection): Promise<void> {
    if (!holdsLock) holdsLock = await takeLock(conn);
    if (!holdsLock) return;
    const taken = await acquireLeaseRow(conn.client, {
      self: deps.self,
      address: deps.address ?? null,
      ttlMs: timings.ttlMs,
      now: () => clock.now(),
    });
    if (taken === null) {
      // Another holder's expiry is still ahead (its session died, its lease has not): wait.
      await releaseLeaseLock(conn.client);
      holdsLock = false;
      return;
    }
    heldEpoch = taken.epoch;
    lastEpoch = taken.epoch;
    lastRenewalAt = taken.at;
    since = taken.at;
    armOverdue(taken.at);
    log.info(
      { epoch: taken.epoch, terminatedPid: taken.terminatedPid ?? undefined },
      'leader lease acquired',
    );
    tell('acquired', () => events.acquired(taken.epoch));
  }

  /**
   * The lock, or — when the row says the lease has expired but a session still holds the lock
   * (a paused or partitioned leader) — that session terminated first, then the lock.
   */
  async function takeLock(conn: LeaseConnection): Promise<boolean> {
    if (await tryLeaseLock(conn.client)) return true;
    const terminated = await terminateExpiredLockHolder(conn.client, clock.now());
    if (terminated.length === 0) return false;
    log.warn({ pids: terminated }, "terminated the expired leader's lease connection");
    // The lock goes when that backend has exited, a moment after the signal (a short real
    // wait: it is the server's pace, not a lease timing).
    for (let attempt = 0; attempt < LOCK_RETRY.attempts; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY.delayMs));
      if (await tryLeaseLock(conn.client)) return true;
    }
    return false;
  }

  async function renew(conn: LeaseConnection, epoch: number): Promise<void> {
    const at = clock.now();
    const ours = await renewLeaseRow(conn.client, {
      self: deps.self,
      epoch,
      at,
      ttlMs: timings.ttlMs,
    });
    if (heldEpoch !== epoch) return;
    if (!ours) {
      lose('taken-over');
      await drop();
      return;
    }
    lastRenewalAt = at;
    armOverdue(at);
  }

  /** One look at the row and the one thing the rule says to do. */
  async function step(): Promise<void> {
    const conn = await connect();
    if (conn === null) {
      if (heldEpoch !== null && !isActing(lastRenewalAt, clock.now(), timings))
        lose('renewal-overdue');
      return;
    }
    try {
      const row = await readLeaseRow(conn.client);
      observed = row;
      const decision = decideLease({
        self: deps.self,
        row,
        holdsLock,
        heldEpoch,
        lastRenewalAt,
        now: clock.now(),
        timings,
        yieldUntil,
      });
      if (decision.kind === 'acquire') await acquire(conn);
      else if (decision.kind === 'renew' && heldEpoch !== null) await renew(conn, heldEpoch);
      else if (decision.kind === 'step-down') {
        lose(decision.reason);
        await drop();
      }
    } catch (error) {
      // A failed statement leaves the session's state unknown (a half-done transaction, a lock
      // taken or not): start over on a fresh connection.
      log.warn({ err: error }, 'leader lease query failed');
      lose('connection-lost');
      await drop();
    }
  }

  /** Runs one turn now, or right after the one in progress; then the timer takes over again. */
  function runTurn(): void {
    if (!running) return;
    if (turn !== null) {
      again = true;
      return;
    }
    if (loopTimer !== null) clock.clearTimeout(loopTimer);
    loopTimer = null;
    turn = step().finally(() => {
      turn = null;
      if (again) {
        again = false;
        runTurn();
      } else schedule();
    });
  }

  function schedule(): void {
    if (!running) return;
    loopTimer = clock.setTimeout(() => {
      loopTimer = null;
      runTurn();
    }, timings.renewEveryMs);
  }

  return {
    async start() {
      if (running) return;
      running = true;
      // The first connection must work: a wrong address or password fails the start.
      try {
        await open();
      } catch (error) {
        running = false;
        throw error;
      }
      runTurn();
      await turn;
    },
    async stop() {
      running = false;
      if (loopTimer !== null) clock.clearTimeout(loopTimer);
      loopTimer = null;
      // A turn may chain another (a release announced meanwhile); bounded: running is false.
      while (turn !== null) await turn;
      if (overdueTimer !== null) clock.clearTimeout(overdueTimer);
      overdueTimer = null;
      const epoch = heldEpoch;
      heldEpoch = null;
      lastRenewalAt = null;
      since = null;
      if (epoch !== null && connection !== null) {
        await releaseLeaseRow(connection.client, { self: deps.self, epoch }).catch(
          (error: unknown) => log.warn({ err: error }, 'leader lease release failed'),
        );
        log.info({ epoch }, 'leader lease released');
      }
      await drop();
    },
    current,
    leader() {
      if (current().holding) return { nodeId: deps.self, address: deps.address ?? null };
      const row = observed;
      if (row === null || row.holder === null || row.holder === deps.self) return null;
      if (row.expiresAt <= clock.now()) return null;
      return { nodeId: row.holder, address: row.holderAddress };
    },
  };
}
