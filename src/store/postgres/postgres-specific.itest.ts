import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import type { TestPostgres } from '../../../test/helpers/postgres-server.ts';
import {
  createTestDatabase,
  postgresBinDir,
  postgresUrl,
  startPostgres,
} from '../../../test/helpers/postgres-server.ts';
import { AppError } from '../../lib/errors.ts';
import { T0, batch, makeMonitor, makeResult } from '../contract/fixtures.ts';
import { MIGRATION_NAMES } from '../migrations/index.ts';
import type { Store } from '../types.ts';
import { openPostgresStore } from './open-postgres-store.ts';

// What only PostgreSQL has: concurrent opens (the migration lock), its value types, its
// connection errors, read-only sessions, bytea result ids. The Store contract itself runs in
// postgres-store.itest.ts.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;
let server: TestPostgres | undefined;
let counter = 0;

/** A fresh database on the file's cluster; `drop` in the test's finally. */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (server === undefined) throw new Error('test cluster not started');
  counter += 1;
  return createTestDatabase(server, `specific_${process.pid}_${counter}`);
}

/** Runs `body` on a fresh database's store, then closes it and drops the database. */
async function withDatabaseStore(body: (store: Store, url: string) => Promise<void>) {
  const database = await freshDatabase();
  const store = await openPostgresStore({ url: database.url });
  try {
    await body(store, database.url);
  } finally {
    await store.close();
    await database.drop();
  }
}

/** The AppError `open` rejects with (fails the test when it resolves or throws another). */
async function openError(options: Parameters<typeof openPostgresStore>[0]): Promise<AppError> {
  try {
    const store = await openPostgresStore(options);
    await store.close();
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    return error;
  }
  assert.fail('the open succeeded');
}

describe('PostgreSQL store', { skip, timeout: 120_000 }, () => {
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  it('two coordinators opening a new database at once both succeed; migrations run once', async () => {
    const sockets = openTcpSockets();
    const database = await freshDatabase();
    try {
      const [a, b] = await Promise.all([
        openPostgresStore({ url: database.url }),
        openPostgresStore({ url: database.url }),
      ]);
      await a.insertMonitor(makeMonitor('m1'));
      assert.equal((await b.getMonitor('m1'))?.id, 'm1');
      await Promise.all([a.close(), b.close()]);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>(
          'select name from kysely_migration order by name',
        );
        assert.deepEqual(
          rows.map((r) => r.name),
          [...MIGRATION_NAMES],
        );
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
    await settlesTo(openTcpSockets, sockets, 'sockets after both stores closed');
  });

  it('returns bigint and numeric values as numbers, exactly', async () => {
    await withDatabaseStore(async (store) => {
      // Past 2^32 and near 2^53: an int8 parsed as int4 or as a float would change it.
      const late = 2 ** 53 - 1_000;
      await store.insertMonitor(makeMonitor('m1', { alertCooldownMs: 2 ** 40 + 7 }));
      await store.commitBatch(
        batch({ results: [makeResult('m1', T0, 'up', 12.34), makeResult('m1', late, 'down')] }),
      );
      const monitor = await store.getMonitor('m1');
      assert.equal(monitor?.alertCooldownMs, 2 ** 40 + 7);
      const results = await store.listResults({ monitorId: 'm1' });
      assert.deepEqual(
        results.map((r) => [r.checkedAt, typeof r.checkedAt, r.latencyMs]),
        [
          [late, 'number', 100],
          [T0, 'number', 12.34],
        ],
      );
      const counts = await store.countResultsByNode('m1', 0);
      assert.deepEqual(counts, [
        { nodeId: 'node-a', total: 2, failures: 1, degraded: 0, errors: 0 },
      ]);
      const stats = await store.stats();
      assert.equal(typeof stats.sizeBytes, 'number');
      assert.ok(stats.sizeBytes > 0);
    });
  });

  it('keeps result ids that are no UUID, a 16-byte one included, and both writers agree', async () => {
    const ids = ['r1', 'sixteen-chars-id', 'ünïcode-id', '0190d6a4-3f1c-7b2e-9a55-1c2d3e4f5a6b'];
    const stored: string[][] = [];
    for (const portableWriters of [false, true]) {
      const database = await freshDatabase();
      const store = await openPostgresStore({ url: database.url, portableWriters });
      try {
        await store.insertMonitor(makeMonitor('m1'));
        const results = ids.map((id, i) => makeResult('m1', T0 + i, 'up', 10, id));
        await store.commitBatch(batch({ results }));
        // A replay stores nothing twice.
        await store.commitBatch(batch({ results }));
        const listed = await store.listResults({ monitorId: 'm1' });
        stored.push(listed.map((r) => r.id));
        // The keyset cursor finds each id again.
        const page = await store.listResults({
          monitorId: 'm1',
          after: { checkedAt: T0 + 1, id: 'sixteen-chars-id' },
        });
        assert.deepEqual(
          page.map((r) => r.id),
          ['r1'],
        );
      } finally {
        await store.close();
        await database.drop();
      }
    }
    assert.deepEqual(stored[0], [...ids].reverse());
    assert.deepEqual(stored[1], stored[0]);
  });

  it('a monitor deleted while its batch commits: both succeed, none of its rows stay', async () => {
    await withDatabaseStore(async (store) => {
      // Timing varies run to run: the delete lands before, inside or after the batch (the
      // narrow window between the batch's existence check and its first insert is what the
      // batch's FOR KEY SHARE closes; this cannot aim at it, only cover the outcomes).
      for (const delayMs of [0, 5, 20]) {
        for (const id of ['m1', 'm2']) await store.insertMonitor(makeMonitor(id));
        const results = Array.from({ length: 4_000 }, (_, i) =>
          makeResult(i % 2 === 0 ? 'm1' : 'm2', T0 + i),
        );
        const deleted = sleep(delayMs).then(() => store.deleteMonitor('m1'));
        await Promise.all([store.commitBatch(batch({ results })), deleted]);
        assert.equal((await store.listResults({ monitorId: 'm1' })).length, 0);
        assert.equal((await store.listResults({ monitorId: 'm2', limit: 5_000 })).length, 2_000);
        await store.deleteMonitor('m2');
      }
    });
  });

  it('stores a message with a NUL character instead of failing the batch', async () => {
    await withDatabaseStore(async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const result = { ...makeResult('m1', T0, 'down'), message: 'binary reply \0\u0001 here' };
      await store.commitBatch(batch({ results: [result] }));
      const [listed] = await store.listResults({ monitorId: 'm1' });
      assert.equal(listed?.message, 'binary reply \uFFFD\u0001 here');
    });
  });

  it('measures raw results with pg_total_relation_size', async () => {
    await withDatabaseStore(async (store) => {
      await store.insertMonitor(makeMonitor('m1'));
      const results = Array.from({ length: 500 }, (_, i) => makeResult('m1', T0 + i));
      await store.commitBatch(batch({ results }));
      const figures = await store.storageFigures(T0 + 1_000);
      assert.equal(figures.rawRows, 500);
      assert.ok(figures.rawBytes > 0, 'raw results take space');
      assert.ok(figures.rawBytes < figures.fileBytes, 'less than the whole database');
      assert.ok(figures.usedBytes <= figures.fileBytes);
    });
  });

  it('opens read-only: reads work, writes fail, and no migration runs', async () => {
    await withDatabaseStore(async (writer, url) => {
      await writer.insertMonitor(makeMonitor('m1'));
      const reader = await openPostgresStore({ url, readonly: true });
      try {
        assert.equal((await reader.getMonitor('m1'))?.id, 'm1');
        await assert.rejects(reader.insertMonitor(makeMonitor('m2')), /read-only/);
      } finally {
        await reader.close();
      }
    });
    const empty = await freshDatabase();
    try {
      const error = await openError({ url: empty.url, readonly: true });
      assert.equal(error.code, 'UNAVAILABLE');
      assert.match(error.message, /no Crosscheck schema/);
    } finally {
      await empty.drop();
    }
  });

  describe('connection failures are typed and never show the password', () => {
    it('refused: UNAVAILABLE naming host and port', async () => {
      const sockets = openTcpSockets();
      const error = await openError({ url: 'postgres://u:secret-pw@127.0.0.1:9/crosscheck' });
      assert.equal(error.code, 'UNAVAILABLE');
      assert.match(error.message, /127\.0\.0\.1:9\/crosscheck/);
      assert.match(error.message, /ECONNREFUSED/);
      assert.doesNotMatch(error.message, /secret-pw/);
      await settlesTo(openTcpSockets, sockets, 'sockets after a refused open');
    });

    it('wrong password: UNAVAILABLE saying authentication failed', async () => {
      if (server === undefined) throw new Error('test cluster not started');
      const sockets = openTcpSockets();
      const url = postgresUrl({ ...server, password: 'not-the-password' }, 'postgres');
      const error = await openError({ url });
      assert.equal(error.code, 'UNAVAILABLE');
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${server.port}`));
      assert.match(error.message, /password authentication failed/);
      assert.doesNotMatch(error.message, /not-the-password/);
      assert.doesNotMatch(String((error.cause as Error | undefined)?.message), /not-the-password/);
      await settlesTo(openTcpSockets, sockets, 'sockets after a refused login');
    });

    it('missing database: UNAVAILABLE naming it', async () => {
      if (server === undefined) throw new Error('test cluster not started');
      const error = await openError({ url: postgresUrl(server, 'no_such_db') });
      assert.equal(error.code, 'UNAVAILABLE');
      assert.match(error.message, /no_such_db/);
      assert.doesNotMatch(error.message, new RegExp(server.password));
    });

    it('a URL that is not a PostgreSQL URL: VALIDATION naming the field', async () => {
      for (const url of ['not a url', 'mysql://u:pw@127.0.0.1:3306/db']) {
        const error = await openError({ url });
        assert.equal(error.code, 'VALIDATION');
        assert.equal(error.issues[0]?.path, 'databaseUrl');
        assert.doesNotMatch(error.message, /pw@/);
      }
    });
  });
});
