import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runStoreContract } from '../contract.ts';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import {
  HOUR,
  MINUTE,
  T0,
  batch,
  makeDelivery,
  makeMonitor,
  makeResult,
} from '../contract/fixtures.ts';
import { migrationProvider } from '../migrations/index.ts';
import { deliveryToRow } from '../sql/delivery-rows.ts';
import { monitorToRow } from '../sql/rows.ts';
import type { Database } from '../sql/schema.ts';
import { openSqliteStore } from './open-sqlite-store.ts';

let root = '';
let counter = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'crosscheck-store-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh path for one test's database, in its own directory. */
function freshFile(): string {
  counter += 1;
  return join(root, `db-${counter}`, 'crosscheck.db');
}

for (const portableWriters of [false, true]) {
  runStoreContract(portableWriters ? 'sqlite, portable writers' : 'sqlite', async () => {
    const file = freshFile();
    const store = await openSqliteStore({ file, portableWriters });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await rm(join(file, '..'), { recursive: true, force: true });
      },
    };
  });
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('SQLite store files', () => {
  it('creates the database, its WAL and shared-memory files with mode 0600', async () => {
    const file = freshFile();
    const store = await openSqliteStore({ file });
    try {
      await store.insertMonitor(makeMonitor('m1'));
      await store.commitBatch(batch({ results: [makeResult('m1', T0)] }));
      for (const path of [file, `${file}-wal`, `${file}-shm`]) {
        assert.equal((await modeOf(path)).toString(8), '600', path);
      }
    } finally {
      await store.close();
    }
  });

  it('keeps data across close and reopen', async () => {
    const file = freshFile();
    const first = await openSqliteStore({ file });
    await first.insertMonitor(makeMonitor('m1'));
    await first.commitBatch(batch({ results: [makeResult('m1', T0, 'up', 10, 'r1')] }));
    await first.close();
    const second = await openSqliteStore({ file });
    try {
      assert.equal((await second.getMonitor('m1'))?.id, 'm1');
      assert.deepEqual(
        (await second.listResults()).map((r) => r.id),
        ['r1'],
      );
    } finally {
      await second.close();
    }
  });

  it('upgrades a database made by the first schema, keeping its monitors and deliveries', async () => {
    const file = freshFile();
    await mkdir(join(file, '..'), { recursive: true });
    const handle = new BetterSqlite3(file);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
    const migrated = await new Migrator({ db, provider: migrationProvider('sqlite') }).migrateTo(
      '0001_initial',
    );
    assert.equal(migrated.error, undefined);
    const old = makeMonitor('m1');
    await db
      .insertInto('monitors')
      .values(
        Object.fromEntries(
          Object.entries(monitorToRow(old)).filter(
            ([k]) => !['node_selector', 'consensus', 'regional_alerts', 'depends_on'].includes(k),
          ),
        ) as never,
      )
      .execute();
    const delivery = makeDelivery('d1', 'm1');
    await db
      .insertInto('alert_deliveries')
      .values(
        Object.fromEntries(
          Object.entries(deliveryToRow(delivery)).filter(
            ([k]) =>
              !['node_id', 'reason', 'kind', 'follows_id', 'target', 'provider_ref'].includes(k),
          ),
        ) as never,
      )
      .execute();
    await db.destroy();

    const store = await openSqliteStore({ file });
    try {
      assert.deepEqual((await store.getMonitor('m1'))?.nodes, { regions: [], labels: {} });
      assert.deepEqual(await store.listAlertDeliveries(), [delivery]);
      await store.deleteMonitor('m1');
      // Since 0005 deliveries outlive their monitor: the alert log keeps them.
      assert.deepEqual(await store.listAlertDeliveries(), [
        { ...delivery, status: 'suppressed', reason: 'monitor-deleted' },
      ]);
    } finally {
      await store.close();
    }
  });

  it('applies a migration whole or not at all', async () => {
    const file = freshFile();
    await mkdir(join(file, '..'), { recursive: true });
    // A table the first migration creates last, so it fails after creating the others.
    const raw = new BetterSqlite3(file);
    raw.exec('create table meta (unrelated integer)');
    raw.close();
    await assert.rejects(openSqliteStore({ file }), /migration failed \(migration 0001_initial\)/);

    const check = new BetterSqlite3(file);
    const tables = check
      .prepare(`select name from sqlite_master where type = 'table' and name not like 'kysely%'`)
      .all() as { name: string }[];
    check.close();
    assert.deepEqual(
      tables.map((t) => t.name),
      ['meta'],
    );
  });

  it('stores day buckets with running totals per hour and a covering index of totals', async () => {
    const file = freshFile();
    const store = await openSqliteStore({ file });
    try {
      await store.insertMonitor(makeMonitor('m1'));
      const at: [number, 'up' | 'down'][] = [
        [0, 'up'],
        [6 * HOUR + 30 * MINUTE, 'down'],
        [6 * HOUR + 45 * MINUTE, 'up'],
        [23 * HOUR, 'down'],
      ];
      await store.commitBatch(
        batch({ results: at.map(([offset, status]) => makeResult('m1', T0 + offset, status)) }),
      );
      await store.rollup();
    } finally {
      await store.close();
    }
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      const row = raw
        .prepare(
          `select count, failures, count_before_h06, count_before_h07, failures_before_h07,
            count_before_h23, failures_before_h23 from rollup_day where monitor_id = 'm1'`,
        )
        .get();
      assert.deepEqual(row, {
        count: 4,
        failures: 2,
        count_before_h06: 1,
        count_before_h07: 3,
        failures_before_h07: 1,
        count_before_h23: 3,
        failures_before_h23: 1,
      });
      const index = raw
        .prepare(
          `select sql from sqlite_master where type = 'index' and name = 'rollup_day_totals'`,
        )
        .pluck()
        .get();
      assert.match(String(index), /\("monitor_id", "bucket_start", "count", "failures"\)/);
    } finally {
      raw.close();
    }
  });

  it('reports corrupt JSON as INTERNAL, naming the table and column', async () => {
    const file = freshFile();
    const store = await openSqliteStore({ file });
    try {
      await store.insertMonitor(makeMonitor('m1'));
      const raw = new BetterSqlite3(file);
      raw.prepare(`update monitors set options = '{"unterminated' where id = 'm1'`).run();
      raw.close();
      await assert.rejects(store.getMonitor('m1'), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'INTERNAL');
        assert.match(error.message, /monitors\.options/);
        return true;
      });
    } finally {
      await store.close();
    }
  });
});

describe('SQLite store, read-only', () => {
  it('fails clearly when the database file does not exist, creating nothing', async () => {
    const file = freshFile();
    await assert.rejects(
      openSqliteStore({ file, readonly: true }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'UNAVAILABLE');
        assert.ok(error.message.includes(file), error.message);
        return true;
      },
    );
    await assert.rejects(stat(file), { code: 'ENOENT' });
  });

  it('fails clearly on a SQLite file without the Crosscheck schema', async () => {
    const file = freshFile();
    await mkdir(join(file, '..'), { recursive: true });
    const raw = new BetterSqlite3(file);
    raw.exec('create table unrelated (x integer)');
    raw.close();
    await assert.rejects(openSqliteStore({ file, readonly: true }), /no Crosscheck schema/);
  });

  it('fails clearly on an older or a newer schema', async () => {
    const file = freshFile();
    await (await openSqliteStore({ file })).close();
    const raw = new BetterSqlite3(file);
    raw.prepare(`insert into kysely_migration (name, timestamp) values ('9999_future', 'x')`).run();
    raw.close();
    await assert.rejects(
      openSqliteStore({ file, readonly: true }),
      /newer Crosscheck.*9999_future/,
    );

    const again = new BetterSqlite3(file);
    again.exec('delete from kysely_migration');
    again.close();
    await assert.rejects(openSqliteStore({ file, readonly: true }), /older schema.*0001_initial/);
  });

  it('reads what the daemon wrote, with or without the daemon running, and refuses writes', async () => {
    const file = freshFile();
    const daemon = await openSqliteStore({ file });
    await daemon.insertMonitor(makeMonitor('m1'));
    await daemon.commitBatch(batch({ results: [makeResult('m1', T0, 'up', 10, 'r1')] }));

    const whileRunning = await openSqliteStore({ file, readonly: true });
    await daemon.commitBatch(batch({ results: [makeResult('m1', T0 + 1, 'up', 10, 'r2')] }));
    assert.equal((await whileRunning.listResults()).length, 2, 'sees later commits');
    await whileRunning.close();
    await daemon.close();

    const afterwards = await openSqliteStore({ file, readonly: true });
    try {
      assert.equal((await afterwards.getMonitor('m1'))?.id, 'm1');
      assert.equal((await afterwards.stats()).results, 2);
      const [lastHour] = (await afterwards.resultCounts(['m1'], [3_600_000], T0)).get('m1') ?? [];
      assert.deepEqual(lastHour, { total: 2, failures: 0 });
      await assert.rejects(afterwards.insertMonitor(makeMonitor('m2')), /read-only/);
      await assert.rejects(afterwards.rollup(), /read-only/);
    } finally {
      await afterwards.close();
    }
  });
});
