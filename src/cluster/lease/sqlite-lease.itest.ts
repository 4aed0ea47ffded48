import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import { createLeaseFence } from './fence.ts';
import { createSqliteLease, SQLITE_LEASE_EPOCH } from './sqlite-lease.ts';
import type { LeaseLossReason } from './types.ts';

// On SQLite the one coordinator always holds the lease: epoch 1 from start to stop, never lost,
// and the fence has nothing to compare. The lease table exists there too (migration 0022 is
// portable), holding its one free row.

describe('leader lease on SQLite', () => {
  it('migration 0022 creates the single free lease row, and a second row is refused', async () => {
    const temp = await tempSqliteStore();
    await temp.store.close();
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new Database(path.join(temp.dir, 'crosscheck.db')) }),
    });
    try {
      const { rows } = await sql<{
        id: number;
        holder: string | null;
        epoch: number;
        expires_at: number;
      }>`select id, holder, epoch, expires_at from leader_lease`.execute(db);
      assert.deepEqual(rows, [{ id: 1, holder: null, epoch: 0, expires_at: 0 }]);
      await assert.rejects(
        sql`insert into leader_lease (id, epoch, expires_at) values (2, 0, 0)`.execute(db),
        /CHECK constraint failed/,
      );
    } finally {
      await db.destroy();
      await temp.cleanup();
    }
  });

  it('holds epoch 1 from start to stop, tells acquired once and never lost; the fence lets writes through', async () => {
    const told: (number | LeaseLossReason)[] = [];
    const lease = createSqliteLease({
      events: { acquired: (epoch) => told.push(epoch), lost: (reason) => told.push(reason) },
      now: () => 1_000,
      self: 'coord',
    });
    assert.equal(lease.current().holding, false);
    assert.equal(lease.leader(), null);
    await lease.start();
    await lease.start();
    assert.deepEqual(lease.current(), { holding: true, epoch: SQLITE_LEASE_EPOCH, since: 1_000 });
    assert.deepEqual(told, [1]);
    assert.deepEqual(lease.leader(), { nodeId: 'coord', address: null });

    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new Database(':memory:') }),
    });
    try {
      await sql`create table writes (id text)`.execute(db);
      const fence = createLeaseFence({
        dialect: 'sqlite',
        readLease: () => Promise.resolve(null),
        lease,
        self: 'coord',
      });
      await db.transaction().execute(async (trx) => {
        await fence.assertLeaseEpoch(trx, SQLITE_LEASE_EPOCH);
        await sql`insert into writes (id) values ('w')`.execute(trx);
      });
      const { rows } = await sql<{ n: number }>`select count(*) as n from writes`.execute(db);
      assert.equal(rows[0]?.n, 1);
      assert.equal(await fence.leaseStillHeld(), true);
      await lease.stop();
      assert.deepEqual(lease.current(), { holding: false, epoch: SQLITE_LEASE_EPOCH });
      assert.equal(await fence.leaseStillHeld(), false, 'a stopped coordinator sends nothing');
      assert.deepEqual(told, [1], 'never lost');
    } finally {
      await db.destroy();
    }
  });
});
