import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import {
  pausableClock,
  recordedLease,
  startLeaseLab,
  TEST_TIMINGS,
  waitUntil,
} from '../../../test/helpers/lease-lab.ts';
import type { LeaseLab, RecordedLease } from '../../../test/helpers/lease-lab.ts';
import { postgresBinDir } from '../../../test/helpers/postgres-server.ts';
import { isAppError } from '../../lib/errors.ts';
import { createPostgresLease } from './postgres-lease.ts';
import { silentLogger } from '../../observability/logger.ts';
import type { Clock } from '../../lib/clock.ts';
import { systemClock } from '../../lib/clock.ts';

// The leader lease on a real PostgreSQL: one holder among candidates, failover when the holder's
// connection dies or it stops renewing, the old holder's session terminated, and a planned
// handover. Timings are 1.5 s / 300 ms / 300 ms; bounds asserted are the design's (ttl + one
// renew period) plus SLACK_MS for statements and scheduling on a shared 2-core machine.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;
const { ttlMs, renewEveryMs } = TEST_TIMINGS;
const SLACK_MS = 700;

describe('leader lease on PostgreSQL', { skip, timeout: 120_000 }, () => {
  let lab: LeaseLab;
  let baselineSockets = 0;
  const started: RecordedLease[] = [];

  /** A lease that afterEach stops, whatever the test did. */
  function lease(self: string, options?: Parameters<typeof recordedLease>[2]): RecordedLease {
    const made = recordedLease(lab, self, options);
    started.push(made);
    return made;
  }

  async function holderRow() {
    const { rows } = await lab.admin.query<{
      holder: string | null;
      epoch: string;
      holder_backend_pid: number | null;
      holder_address: string | null;
    }>('select holder, epoch, holder_backend_pid, holder_address from leader_lease where id = 1');
    const row = rows[0];
    assert.ok(row, 'the migration created the lease row');
    return { ...row, epoch: Number(row.epoch) };
  }

  before(async () => {
    lab = await startLeaseLab();
    baselineSockets = openTcpSockets();
  });

  beforeEach(async () => {
    await lab.reset();
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((made) => made.lease.stop()));
    await waitUntil(
      async () => (await lab.leaseSessions()).length === 0,
      5_000,
      'no lease session',
    );
    await settlesTo(openTcpSockets, baselineSockets, 'sockets after the test');
  });

  after(async () => {
    await lab?.stop();
  });

  it('(a) of two coordinators starting at once, exactly one acquires; the other stands by', async () => {
    const a = lease('coord-a');
    const b = lease('coord-b');
    await Promise.all([a.lease.start(), b.lease.start()]);
    // A few renew periods: the standby keeps standing by, the holder keeps holding.
    await new Promise((resolve) => setTimeout(resolve, 4 * renewEveryMs));
    const holders = [a, b].filter((made) => made.lease.current().holding);
    assert.equal(holders.length, 1, 'exactly one holds');
    const [holder] = holders;
    assert.ok(holder);
    const standby = holder === a ? b : a;
    assert.deepEqual(standby.told, [], 'the standby was told nothing');
    assert.equal(holder.acquired().length, 1);
    const row = await holderRow();
    assert.equal(row.holder, holder === a ? 'coord-a' : 'coord-b');
    assert.equal(row.epoch, holder.lease.current().epoch);
    assert.equal(row.holder_address, `${row.holder}.test:7433`);
    // Both know who leads and where: the standby sends agents there.
    const leader = { nodeId: row.holder, address: `${row.holder}.test:7433` };
    assert.deepEqual(holder.lease.leader(), leader);
    assert.deepEqual(standby.lease.leader(), leader);
    assert.ok((await lab.leaseSessions()).includes(row.holder_backend_pid ?? -1));
    assert.equal(typeof holder.lease.current().since, 'number');
    assert.equal(standby.lease.current().since, undefined);
  });

  it('(b) the holder connection killed: it loses at once, the other takes over within ttl + renew with epoch + 1', async () => {
    const a = lease('coord-a');
    await a.lease.start();
    const epoch = a.lease.current().epoch;
    const b = lease('coord-b');
    await b.lease.start();
    assert.equal(b.lease.current().holding, false);
    const { holder_backend_pid: pid } = await holderRow();
    const killedAt = performance.now();
    await lab.admin.query('select pg_terminate_backend($1)', [pid]);
    await waitUntil(() => a.lost().length > 0, 2_000, 'the holder to hear its connection end');
    assert.deepEqual(a.lost(), ['connection-lost']);
    assert.equal(a.lease.current().holding, false);
    await waitUntil(() => b.acquired().length > 0, ttlMs + renewEveryMs + SLACK_MS, 'the takeover');
    const tookMs = performance.now() - killedAt;
    assert.ok(tookMs <= ttlMs + renewEveryMs + SLACK_MS, `took ${tookMs} ms`);
    assert.deepEqual(b.acquired(), [epoch + 1]);
    assert.equal((await holderRow()).holder, 'coord-b');
    // The old holder reconnected as a candidate and stands by; nothing else was told.
    await new Promise((resolve) => setTimeout(resolve, 3 * renewEveryMs));
    assert.equal(a.lease.current().holding, false);
    assert.deepEqual(a.acquired(), [epoch]);
  });

  it('(b, d) a holder that stops renewing: the new leader terminates its session and takes over', async () => {
    const clock = pausableClock();
    const a = lease('coord-a', { clock });
    await a.lease.start();
    const epoch = a.lease.current().epoch;
    const { holder_backend_pid: oldPid } = await holderRow();
    const b = lease('coord-b');
    await b.lease.start();
    const pausedAt = performance.now();
    clock.pause();
    await waitUntil(() => b.acquired().length > 0, ttlMs + renewEveryMs + SLACK_MS, 'the takeover');
    // At the takeover the paused holder no longer believes it holds: ttl − margin had passed.
    assert.equal(a.lease.current().holding, false);
    assert.ok(performance.now() - pausedAt <= ttlMs + renewEveryMs + SLACK_MS);
    assert.deepEqual(b.acquired(), [epoch + 1]);
    // The old holder's session was terminated, and its client saw the connection end.
    assert.equal((await lab.leaseSessions()).includes(oldPid ?? -1), false);
    await waitUntil(() => a.lost().length > 0, 2_000, 'the old holder to hear its connection end');
    assert.deepEqual(a.lost(), ['connection-lost']);
    const row = await holderRow();
    assert.equal(row.holder, 'coord-b');
    assert.notEqual(row.holder_backend_pid, oldPid);
  });

  it('a holder whose renewal hangs stops acting at ttl − margin, even when its timers fire early', async () => {
    // Node timers can fire a millisecond before Date.now() reaches their due time; this clock
    // makes that happen every time. Found across namespaces: a leader cut off from the
    // database acted until its hung renewal timed out, after another had taken over.
    const early: Clock = {
      ...systemClock,
      setTimeout: (callback, delayMs) => systemClock.setTimeout(callback, Math.max(0, delayMs - 5)),
    };
    const a = lease('coord-a', { clock: early });
    await a.lease.start();
    // The renewal's UPDATE waits for this row lock: a renewal that does not answer.
    await lab.admin.query('begin');
    try {
      await lab.admin.query('select * from leader_lease where id = 1 for update');
      const lockedAt = performance.now();
      await waitUntil(() => a.lost().length > 0, ttlMs + SLACK_MS, 'the holder to stop');
      assert.deepEqual(a.lost(), ['renewal-overdue']);
      // Its last renewal was at most one renew period before the lock; the row expires a ttl
      // after it, so the holder stopped before anyone could take over.
      assert.ok(performance.now() - lockedAt < ttlMs, 'stopped before the row could expire');
    } finally {
      await lab.admin.query('rollback');
    }
  });

  it('(e) stop() releases the lease: a planned handover takes less than one renew period', async () => {
    const a = lease('coord-a');
    await a.lease.start();
    const epoch = a.lease.current().epoch;
    const b = lease('coord-b');
    await b.lease.start();
    const stoppedAt = performance.now();
    await a.lease.stop();
    assert.equal(a.lease.current().holding, false);
    await waitUntil(() => b.acquired().length > 0, renewEveryMs, 'the handover');
    const handoverMs = performance.now() - stoppedAt;
    assert.ok(handoverMs < renewEveryMs, `handover took ${handoverMs} ms`);
    assert.deepEqual(b.acquired(), [epoch + 1]);
    assert.deepEqual(a.lost(), [], 'a planned stop tells no loss');
  });

  it('a coordinator alone acquires on start, and keeps the lease across many renewals', async () => {
    const a = lease('coord-a');
    await a.lease.start();
    assert.equal(a.lease.current().holding, true, 'held when start() returns');
    await new Promise((resolve) => setTimeout(resolve, ttlMs * 2));
    assert.equal(a.lease.current().holding, true);
    assert.equal(a.acquired().length, 1);
    assert.deepEqual(a.lost(), []);
  });

  it('refuses timings that cannot keep a healthy holder holding, naming the field', () => {
    assert.throws(
      () =>
        recordedLease(lab, 'coord-x', {
          timings: { ttlMs: 1_000, renewEveryMs: 600, marginMs: 100 },
        }),
      (error: unknown) =>
        isAppError(error) && error.code === 'VALIDATION' && /^renewEveryMs: /.test(error.message),
    );
  });

  it('start() fails clearly on a refused port and on a wrong password, never naming the password', async () => {
    const attempt = async (connection: typeof lab.connection) => {
      const made = createPostgresLease({
        connection,
        self: 'coord-x',
        timings: TEST_TIMINGS,
        clock: systemClock,
        logger: silentLogger(),
        events: { acquired: () => assert.fail('nothing to acquire'), lost: () => undefined },
      });
      try {
        await made.start();
      } catch (error) {
        assert.equal(made.current().holding, false);
        await made.stop();
        return error;
      }
      assert.fail('start() should have failed');
    };
    const refused = await attempt({ ...lab.connection, port: 9 });
    assert.ok(isAppError(refused) && refused.code === 'UNAVAILABLE');
    assert.match(refused.message, /127\.0\.0\.1:9/);
    const wrong = await attempt({ ...lab.connection, password: 'not-the-password' });
    assert.ok(isAppError(wrong) && wrong.code === 'UNAVAILABLE');
    assert.match(wrong.message, /password authentication failed/);
    assert.doesNotMatch(wrong.message, /not-the-password/);
  });
});
