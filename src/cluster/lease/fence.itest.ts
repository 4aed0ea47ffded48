import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import { recordedLease, startLeaseLab, waitUntil } from '../../../test/helpers/lease-lab.ts';
import type { LeaseLab, RecordedLease } from '../../../test/helpers/lease-lab.ts';
import { postgresBinDir } from '../../../test/helpers/postgres-server.ts';
import { isAppError } from '../../lib/errors.ts';
import { readLeaderLease } from '../../store/sql/leader-lease.ts';
import { createLeaseFence } from './fence.ts';
import type { LeaseFence } from './fence.ts';

// (c) Fencing on a real PostgreSQL: a leader write carries its epoch and checks it in its own
// transaction; once a newer leader exists the old epoch's writes are refused and leave nothing,
// and a write in progress holds an acquisition back until it commits (never across an epoch).

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;

describe('lease fencing on PostgreSQL', { skip, timeout: 120_000 }, () => {
  let lab: LeaseLab;
  let db: Kysely<unknown>;
  let baselineSockets = 0;
  const started: RecordedLease[] = [];

  function lease(self: string): RecordedLease {
    const made = recordedLease(lab, self);
    started.push(made);
    return made;
  }

  const fenceOf = (made: RecordedLease, self: string): LeaseFence =>
    createLeaseFence({
      dialect: 'postgres',
      readLease: () => readLeaderLease(db),
      lease: made.lease,
      self,
    });

  /** A leader write: the fence first, then the row, in one transaction. */
  const write = (fence: LeaseFence, epoch: number, id: string) =>
    db.transaction().execute(async (trx) => {
      await fence.assertLeaseEpoch(trx, epoch);
      await insert(trx, id, epoch);
    });

  const insert = (trx: Transaction<unknown>, id: string, epoch: number) =>
    sql`insert into fenced_writes (id, epoch) values (${id}, ${epoch})`.execute(trx);

  async function rows(): Promise<string[]> {
    const { rows: found } = await sql<{
      id: string;
    }>`select id from fenced_writes order by id`.execute(db);
    return found.map((row) => row.id);
  }

  async function refusal(attempt: Promise<unknown>): Promise<Error> {
    try {
      await attempt;
    } catch (error) {
      return error as Error;
    }
    assert.fail('the write should have been refused');
  }

  before(async () => {
    lab = await startLeaseLab();
    // The admin session only: the pool's idle sessions close within 100 ms of each test.
    baselineSockets = openTcpSockets();
    db = lab.openDb();
    await sql`create table fenced_writes (id text primary key, epoch bigint not null)`.execute(db);
  });

  beforeEach(async () => {
    await lab.reset();
    await sql`delete from fenced_writes`.execute(db);
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
    await db?.destroy();
    await lab?.stop();
  });

  it('the holder writes with its epoch; after a takeover its old epoch is refused and leaves no row', async () => {
    const a = lease('coord-a');
    await a.lease.start();
    const old = a.lease.current().epoch;
    const fenceA = fenceOf(a, 'coord-a');
    await write(fenceA, old, 'while-leader');
    assert.equal(await fenceA.leaseStillHeld(), true);

    const b = lease('coord-b');
    await b.lease.start();
    await a.lease.stop();
    await waitUntil(() => b.lease.current().holding, 2_000, 'the handover');
    const fenceB = fenceOf(b, 'coord-b');

    // Fence first: refused before anything is written.
    const first = await refusal(write(fenceA, old, 'stale-fence-first'));
    assert.ok(isAppError(first) && first.code === 'FENCED', String(first));
    assert.equal(
      first.message,
      `write refused: this coordinator's lease epoch ${old} is not current (the stored epoch is ${old + 1})`,
    );
    // Row first, fence after: the refusal rolls the row back with the transaction.
    const second = await refusal(
      db.transaction().execute(async (trx) => {
        await insert(trx, 'stale-row-first', old);
        await fenceA.assertLeaseEpoch(trx, old);
      }),
    );
    assert.ok(isAppError(second) && second.code === 'FENCED');
    await write(fenceB, old + 1, 'new-leader');
    assert.deepEqual(await rows(), ['new-leader', 'while-leader']);
    assert.equal(await fenceA.leaseStillHeld(), false);
    assert.equal(await fenceB.leaseStillHeld(), true);
  });

  it('a write in progress holds the epoch change back until it commits', async () => {
    const a = lease('coord-a');
    await a.lease.start();
    const epoch = a.lease.current().epoch;
    const fenceA = fenceOf(a, 'coord-a');
    const b = lease('coord-b');
    await b.lease.start();
    let fencedAt = 0;
    let committedAt = 0;
    const writing = db.transaction().execute(async (trx) => {
      await fenceA.assertLeaseEpoch(trx, epoch);
      fencedAt = performance.now();
      await insert(trx, 'during-handover', epoch);
      await new Promise((resolve) => setTimeout(resolve, 400));
      committedAt = performance.now();
    });
    await waitUntil(() => fencedAt > 0, 2_000, 'the write to pass its fence');
    // The release waits for the write's share lock on the row; so does any acquisition.
    const stopping = a.lease.stop();
    await writing;
    await stopping;
    await waitUntil(() => b.acquired().length > 0, 2_000, 'the handover');
    const acquired = b.told.find((told) => told.kind === 'acquired');
    assert.ok(acquired && acquired.at >= committedAt, 'the new epoch began after the write');
    assert.deepEqual(await rows(), ['during-handover']);
    const late = await refusal(write(fenceA, epoch, 'after-handover'));
    assert.ok(isAppError(late) && late.code === 'FENCED');
  });

  it('the pre-send check reads the row: a lease moved behind the holder is no longer held', async () => {
    const a = lease('coord-a');
    await a.lease.start();
    const fenceA = fenceOf(a, 'coord-a');
    assert.equal(await fenceA.leaseStillHeld(), true);
    // Someone bumped the epoch (a takeover this process has not noticed yet).
    await lab.admin.query('update leader_lease set epoch = epoch + 1 where id = 1');
    // Whether or not its own loop has noticed yet, the check before a send says no.
    assert.equal(await fenceA.leaseStillHeld(), false);
    // Its next renewal finds 0 rows of its own: it steps down as taken over.
    await waitUntil(() => a.lost().length > 0, 2_000, 'the holder to notice');
    assert.deepEqual(a.lost(), ['taken-over']);
    assert.equal(await fenceA.leaseStillHeld(), false);
  });
});
