import type pg from 'pg';
import { isTakeable } from './lease-decision.ts';
import type { LeaseRowView } from './lease-decision.ts';

// The lease's statements over the dedicated connection. The advisory lock is session-level: it
// is held from acquisition until release or until the session ends, so a session that dies
// (terminated, partitioned past its keepalives) frees it without any help from its process.

/**
 * The advisory lock's key ("CCLE"); below 2^31 so pg_locks shows it as classid 0, objid KEY,
 * objsubid 1 (the single-bigint form).
 */
export const LEASE_LOCK_KEY = 0x43434c45;

/** The lease row with the holder's backend, as read. */
export interface LeaseRow extends LeaseRowView {
  holderBackendPid: number | null;
  /** Where agents reach the holder's peer port. */
  holderAddress: string | null;
}

interface RawRow {
  holder: string | null;
  epoch: string | number;
  expires_at: string | number;
  holder_backend_pid: number | null;
  holder_address: string | null;
}

const SELECT_ROW =
  'select holder, epoch, expires_at, holder_backend_pid, holder_address from leader_lease where id = 1';

function toRow(raw: RawRow | undefined): LeaseRow | null {
  if (raw === undefined) return null;
  return {
    holder: raw.holder,
    epoch: Number(raw.epoch),
    expiresAt: Number(raw.expires_at),
    holderBackendPid: raw.holder_backend_pid,
    holderAddress: raw.holder_address,
  };
}

/** Names the dedicated connection so a new leader can tell a previous holder's backend. */
export function leaseApplicationName(holder: string): string {
  // PostgreSQL keeps 63 bytes of it; coordinator ids are short ASCII.
  return `crosscheck-lease:${holder}`.slice(0, 63);
}

export async function readLeaseRow(client: pg.Client): Promise<LeaseRow | null> {
  const { rows } = await client.query<RawRow>(SELECT_ROW);
  return toRow(rows[0]);
}

export async function tryLeaseLock(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(
    'select pg_try_advisory_lock($1) as locked',
    [LEASE_LOCK_KEY],
  );
  return rows[0]?.locked === true;
}

export async function releaseLeaseLock(client: pg.Client): Promise<void> {
  await client.query('select pg_advisory_unlock($1)', [LEASE_LOCK_KEY]);
}

/**
 * Terminates whichever other backend holds the lease lock, but only while the row (read in the
 * same statement) is free or expired by `now`: a paused or partitioned holder keeps its session
 * and lock alive, and its lease must not outlive its expiry. Returns the terminated pids.
 * A candidate caught between taking the lock and writing the row can be terminated this way by
 * another: it had not started acting, so that costs it a retry, never safety.
 */
export async function terminateExpiredLockHolder(
  client: pg.Client,
  now: number,
): Promise<number[]> {
  const { rows } = await client.query<{ pid: number }>(
    `select l.pid, pg_terminate_backend(l.pid) as terminated
       from pg_locks l, leader_lease r
      where r.id = 1 and (r.holder is null or r.expires_at <= $1)
        and l.locktype = 'advisory' and l.classid = 0 and l.objid = $2 and l.objsubid = 1
        and l.granted and l.pid <> pg_backend_pid()
        and l.database = (select oid from pg_database where datname = current_database())`,
    [now, LEASE_LOCK_KEY],
  );
  return rows.map((row) => row.pid);
}

/** A lease just taken: its epoch and the clock time its expiry counts from. */
export interface Acquired {
  epoch: number;
  at: number;
  /** The previous holder's backend, terminated in the taking transaction; null when none. */
  terminatedPid: number | null;
}

/**
 * Takes the lease in one transaction (the caller holds the lock): the row locked `for update`,
 * which waits for every fenced write holding it `for key share`; still takeable by the clock read
 * after that wait; the previous holder's backend terminated if it is still connected (named as
 * that holder's lease connection, so a reused pid is never hit); the epoch bumped. Null when the
 * lease turned out not takeable (another holder's expiry is still ahead).
 */
export async function acquireLeaseRow(
  client: pg.Client,
  claim: { self: string; address: string | null; ttlMs: number; now: () => number },
): Promise<Acquired | null> {
  await client.query('begin');
  try {
    const { rows } = await client.query<RawRow>(`${SELECT_ROW} for update`);
    const row = toRow(rows[0]);
    const at = claim.now();
    if (row === null || !isTakeable(row, at)) {
      await client.query('rollback');
      return null;
    }
    const terminatedPid = await terminatePreviousHolder(client, row);
    const updated = await client.query<{ epoch: string | number }>(
      `update leader_lease
          set holder = $1, epoch = epoch + 1, acquired_at = $2, renewed_at = $2,
              expires_at = $3, holder_backend_pid = pg_backend_pid(), holder_address = $4
        where id = 1
        returning epoch`,
      [claim.self, at, at + claim.ttlMs, claim.address],
    );
    await client.query('commit');
    return { epoch: Number(updated.rows[0]?.epoch), at, terminatedPid };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

async function terminatePreviousHolder(client: pg.Client, row: LeaseRow): Promise<number | null> {
  if (row.holder === null || row.holderBackendPid === null) return null;
  const { rows } = await client.query<{ pid: number }>(
    `select pid, pg_terminate_backend(pid) as terminated from pg_stat_activity
      where pid = $1 and pid <> pg_backend_pid() and application_name = $2`,
    [row.holderBackendPid, leaseApplicationName(row.holder)],
  );
  return rows[0]?.pid ?? null;
}

/** Moves the expiry on, only if the lease is still ours on this very connection. */
export async function renewLeaseRow(
  client: pg.Client,
  lease: { self: string; epoch: number; at: number; ttlMs: number },
): Promise<boolean> {
  const result = await client.query(
    `update leader_lease set renewed_at = $1, expires_at = $2
      where id = 1 and holder = $3 and epoch = $4 and holder_backend_pid = pg_backend_pid()`,
    [lease.at, lease.at + lease.ttlMs, lease.self, lease.epoch],
  );
  return result.rowCount === 1;
}

/** The channel a released lease is announced on, so a candidate takes it without waiting. */
export const LEASE_CHANNEL = 'crosscheck_lease';

export async function listenForRelease(client: pg.Client): Promise<void> {
  await client.query(`listen ${LEASE_CHANNEL}`);
}

/**
 * Frees the row (the epoch stays: the next holder bumps it) if it is still ours, and tells the
 * candidates: the notification is delivered with the commit, when the row is already free.
 */
export async function releaseLeaseRow(
  client: pg.Client,
  lease: { self: string; epoch: number },
): Promise<void> {
  await client.query('begin');
  try {
    await client.query(
      `update leader_lease
          set holder = null, expires_at = 0, holder_backend_pid = null, holder_address = null
        where id = 1 and holder = $1 and epoch = $2`,
      [lease.self, lease.epoch],
    );
    await client.query('select pg_notify($1, $2)', [LEASE_CHANNEL, 'released']);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}
