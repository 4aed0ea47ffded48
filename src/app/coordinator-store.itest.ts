import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { TestCa } from '../../test/helpers/certs.ts';
import { createTestCa, issueLeaf } from '../../test/helpers/certs.ts';
import { openTcpSockets, settlesTo } from '../../test/helpers/open-handles.ts';
import type { TestPostgres } from '../../test/helpers/postgres-server.ts';
import {
  createTestDatabase,
  postgresBinDir,
  startPostgres,
} from '../../test/helpers/postgres-server.ts';
import { parsePostgresSetting } from '../config/database-config.ts';
import { AppError } from '../lib/errors.ts';
import { silentLogger } from '../store/logger.ts';
import { takeCoordinatorLock } from '../store/postgres/coordinator-lock.ts';
import { makeMonitor } from '../store/contract/fixtures.ts';
import { openCoordinatorStore } from './coordinator-store.ts';
import { startHousekeepingWorker } from './housekeeping-worker.ts';
import { silentLogger as silentPino } from '../observability/logger.ts';
import { DEFAULT_RETENTION } from '../store/types.ts';

// The database settings a user gives (URL, sslmode, CA file) carried through to a real
// PostgreSQL that offers TLS with a certificate for 127.0.0.1 only; and the one-coordinator lock.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;
const FIELDS = { url: '--database-url', ca: '--database-ca' };

describe('the coordinator store on PostgreSQL, as configured', { skip, timeout: 120_000 }, () => {
  let server: TestPostgres;
  let ca: TestCa;
  let dir: string;
  let caFile: string;
  let foreignCaFile: string;
  let database: { url: string; drop(): Promise<void> };

  before(async () => {
    ca = await createTestCa('Database CA');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-dbtls-'));
    caFile = path.join(dir, 'ca.pem');
    foreignCaFile = path.join(dir, 'foreign.pem');
    fs.writeFileSync(caFile, ca.certPem);
    fs.writeFileSync(foreignCaFile, (await createTestCa('Foreign CA')).certPem);
    server = await startPostgres({ tls: await issueLeaf(ca, { hosts: ['127.0.0.1'] }) });
    database = await createTestDatabase(server, 'tls_settings');
  });
  after(async () => {
    await database?.drop();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const withMode = (mode: string, host = '127.0.0.1') =>
    database.url.replace('127.0.0.1', host) + `?sslmode=${mode}`;

  /** Opens, reads one thing, closes; the label never holds the password. */
  async function openAndRead(url: string, ca?: string): Promise<string> {
    const opened = await openCoordinatorStore(parsePostgresSetting({ url, ca }, FIELDS));
    try {
      await opened.store.listMonitors();
      assert.ok((await opened.bytes()) > 0);
      assert.doesNotMatch(opened.label, new RegExp(server.password));
      return opened.label;
    } finally {
      await opened.store.close();
    }
  }

  async function refused(url: string, ca?: string): Promise<AppError> {
    // Sockets of stores closed just before may still be closing: none is left once settled.
    await settlesTo(openTcpSockets, 0, 'sockets before the open');
    const sockets = 0;
    try {
      const opened = await openCoordinatorStore(parsePostgresSetting({ url, ca }, FIELDS));
      await opened.store.close();
    } catch (error) {
      assert.ok(error instanceof AppError, String(error));
      assert.equal(error.code, 'UNAVAILABLE');
      assert.doesNotMatch(error.message, new RegExp(server.password));
      await settlesTo(openTcpSockets, sockets, 'sockets after a refused open');
      return error;
    }
    assert.fail('the open succeeded');
  }

  it('verify-full with the CA file: connects (and migrates)', async () => {
    const label = await openAndRead(withMode('verify-full'), caFile);
    assert.equal(label, `postgres://127.0.0.1:${server.port}/tls_settings`);
    // sslrootcert in the URL works the same.
    await openAndRead(`${withMode('verify-full')}&sslrootcert=${encodeURIComponent(caFile)}`);
  });

  it('require: encrypted without a CA; with one, the chain is checked but not the name', async () => {
    await openAndRead(withMode('require'));
    await openAndRead(withMode('require', 'localhost'), caFile);
    const foreign = await refused(withMode('require'), foreignCaFile);
    assert.match(foreign.message, /certificate/);
  });

  it('verify-full refuses a foreign CA, an unknown one, and a name the certificate lacks', async () => {
    assert.match((await refused(withMode('verify-full'), foreignCaFile)).message, /certificate/);
    assert.match((await refused(withMode('verify-full'))).message, /certificate/);
    const wrongName = await refused(withMode('verify-full', 'localhost'), caFile);
    assert.match(wrongName.message, /localhost/);
  });

  it('disable: a plain connection, where the server allows one', async () => {
    await openAndRead(withMode('disable'));
  });

  it('opens read-only for the CLI: reads work, writes are refused by the server', async () => {
    const opened = await openCoordinatorStore(
      parsePostgresSetting({ url: withMode('disable') }, FIELDS),
      { readonly: true },
    );
    try {
      assert.deepEqual(await opened.store.listMonitors(), []);
      await assert.rejects(opened.store.insertMonitor(makeMonitor('m1')), /read-only/);
    } finally {
      await opened.store.close();
    }
  });

  it('lets one process run a coordinator at a time, and other coordinators beside it', async () => {
    // The earlier tests' pools are closed: whatever their sockets were, none is left.
    await settlesTo(openTcpSockets, 0, 'sockets before the locks');
    const sockets = 0;
    const target = { url: database.url };
    const one = { nodeId: 'node_one', holder: 'crosscheck coordinator one' };
    const first = await takeCoordinatorLock(target, one, silentLogger);
    await assert.rejects(
      takeCoordinatorLock(target, { ...one, holder: 'crosscheck coordinator copy' }, silentLogger),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'CONFLICT' &&
        /this coordinator \(node_one\) is already running \(crosscheck coordinator one from 127\.0\.0\.1\)/.test(
          error.message,
        ),
    );
    const other = await takeCoordinatorLock(
      target,
      { nodeId: 'node_two', holder: 'crosscheck coordinator two' },
      silentLogger,
    );
    await other.release();
    await first.release();
    const again = await takeCoordinatorLock(target, one, silentLogger);
    await again.release();
    await settlesTo(openTcpSockets, sockets, 'sockets after both locks were released');
  });

  it('runs housekeeping on a thread with a pool of its own, over TLS as configured', async () => {
    const database = parsePostgresSetting({ url: withMode('verify-full'), ca: caFile }, FIELDS);
    const passes = await startHousekeepingWorker({
      postgres: { url: database.url, sslmode: database.sslmode, caPem: database.caPem },
      logger: silentPino(),
    });
    try {
      assert.equal(passes.thread, 'worker');
      const rolled = await passes.rollup();
      assert.equal(rolled.counts.minuteBuckets, 0);
      const measured = await passes.measure(Date.now());
      assert.ok(measured.counts.fileBytes > 0, 'pg_database_size');
      assert.equal(measured.counts.rawRows, 0);
      const pruned = await passes.prune(Date.now(), DEFAULT_RETENTION);
      assert.equal(pruned.counts.results, 0);
    } finally {
      await passes.close();
    }
  });

  it('reports a thread that cannot reach the database, without the password', async () => {
    const database = parsePostgresSetting(
      { url: withMode('verify-full'), ca: foreignCaFile },
      FIELDS,
    );
    await assert.rejects(
      startHousekeepingWorker({
        postgres: { url: database.url, sslmode: database.sslmode, caPem: database.caPem },
        logger: silentPino(),
      }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'UNAVAILABLE' &&
        /housekeeping thread: PostgreSQL at 127\.0\.0\.1:\d+\/tls_settings: .*certificate/.test(
          error.message,
        ) &&
        !error.message.includes(server.password),
    );
  });

  it('takes the coordinator lock again when its session is ended', async () => {
    const target = { url: database.url };
    const warnings: string[] = [];
    const logger = {
      ...silentLogger,
      warn: (_: unknown, message: string) => warnings.push(message),
    };
    const infos: string[] = [];
    logger.info = (_: unknown, message: string) => infos.push(message);
    const kept = { nodeId: 'node_kept', holder: 'crosscheck coordinator kept' };
    const lock = await takeCoordinatorLock(target, kept, logger, 100);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`,
        ['crosscheck coordinator kept'],
      );
      await waitUntil(() => infos.includes('store.coordinatorLock: lock taken again'));
      assert.ok(
        warnings.some((w) => /lock session ended/.test(w)),
        warnings.join(),
      );
      await assert.rejects(
        takeCoordinatorLock(
          target,
          { ...kept, holder: 'crosscheck coordinator other' },
          silentLogger,
        ),
        /is already running \(crosscheck coordinator kept/,
      );
    } finally {
      await admin.end();
      await lock.release();
    }
    await settlesTo(openTcpSockets, 0, 'sockets after the lock was released');
  });
});

/** Polls (bounded: 10 s) until `done`. */
async function waitUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await sleep(50);
  assert.ok(done(), 'condition not reached within 10 s');
}
