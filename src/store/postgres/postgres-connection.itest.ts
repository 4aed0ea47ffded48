import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { TestCa } from '../../../test/helpers/certs.ts';
import { createTestCa, issueLeaf } from '../../../test/helpers/certs.ts';
import { openTcpSockets, settlesTo } from '../../../test/helpers/open-handles.ts';
import type { TestPostgres } from '../../../test/helpers/postgres-server.ts';
import {
  createTestDatabase,
  postgresBinDir,
  postgresUrl,
  startPostgres,
} from '../../../test/helpers/postgres-server.ts';
import { AppError } from '../../lib/errors.ts';
import { makeMonitor } from '../contract/fixtures.ts';
import { openPostgresStore } from './open-postgres-store.ts';

// The store's connections against a cluster that offers TLS: verified against the CA it is
// given, refused with a foreign CA; and a store whose server connections are terminated (what
// a new leader does to the old one's backends, issue #17) comes back on fresh ones.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;

describe('PostgreSQL store connections', { skip, timeout: 120_000 }, () => {
  let server: TestPostgres | undefined;
  let ca: TestCa;
  let foreignCa: TestCa;

  before(async () => {
    ca = await createTestCa('Store Test CA');
    foreignCa = await createTestCa('Foreign CA');
    server = await startPostgres({ tls: await issueLeaf(ca, { hosts: ['127.0.0.1'] }) });
  });
  after(async () => {
    await server?.stop();
  });

  function cluster(): TestPostgres {
    if (server === undefined) throw new Error('test cluster not started');
    return server;
  }

  it('connects over TLS verified against the given CA', async () => {
    const database = await createTestDatabase(cluster(), `tls_${process.pid}`);
    try {
      const store = await openPostgresStore({ url: database.url, ssl: { ca: ca.certPem } });
      try {
        await store.insertMonitor(makeMonitor('m1'));
        assert.equal((await store.getMonitor('m1'))?.id, 'm1');
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });

  it('refuses a server whose certificate another CA signed: UNAVAILABLE, no socket left', async () => {
    const sockets = openTcpSockets();
    const url = postgresUrl(cluster(), 'postgres');
    try {
      const store = await openPostgresStore({ url, ssl: { ca: foreignCa.certPem } });
      await store.close();
      assert.fail('the open succeeded');
    } catch (error) {
      assert.ok(error instanceof AppError, String(error));
      assert.equal(error.code, 'UNAVAILABLE');
      assert.match(error.message, /certificate/);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${cluster().port}`));
      assert.doesNotMatch(error.message, new RegExp(cluster().password));
    }
    await settlesTo(openTcpSockets, sockets, 'sockets after a refused TLS open');
  });

  it('serves again after its server connections were terminated', async () => {
    const database = await createTestDatabase(cluster(), `terminated_${process.pid}`);
    const store = await openPostgresStore({ url: database.url });
    try {
      await store.insertMonitor(makeMonitor('m1'));
      const admin = new pg.Client({ connectionString: postgresUrl(cluster(), 'postgres') });
      await admin.connect();
      try {
        const { rowCount } = await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
           where datname = $1 and application_name = 'crosscheck'`,
          [`terminated_${process.pid}`],
        );
        assert.ok((rowCount ?? 0) > 0, 'the store had connections to terminate');
      } finally {
        await admin.end();
      }
      // The pool drops a connection when its termination notice arrives; a call racing that
      // notice may fail once. Bounded: the next calls must succeed on fresh connections.
      let monitor: string | undefined;
      for (let attempt = 0; attempt < 20 && monitor === undefined; attempt++) {
        try {
          monitor = (await store.getMonitor('m1'))?.id;
        } catch {
          await sleep(50);
        }
      }
      assert.equal(monitor, 'm1');
      await store.insertMonitor(makeMonitor('m2'));
      assert.equal((await store.listMonitors()).length, 2);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
