import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { RecordedResult } from '../../src/domain/check-result.ts';
import type { Incident } from '../../src/domain/incident.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import type { HealthView } from '../../src/services/health-service.ts';
import type { MonitorStatusView } from '../../src/services/status-service.ts';
import type { CliRun, DaemonProcess } from '../helpers/cli.ts';
import { runCrosscheck, startDaemon, tempDataDir, waitFor } from '../helpers/cli.ts';
import { localApi, metricsText } from '../helpers/local-api.ts';
import { descendantProcesses } from '../helpers/open-handles.ts';
import {
  createTestDatabase,
  postgresBinDir,
  postgresUrl,
  startPostgres,
} from '../helpers/postgres-server.ts';
import type { TestPostgres } from '../helpers/postgres-server.ts';

// A coordinator on PostgreSQL as a user runs it: `init --database-url`, the real daemon, an
// outage of a loopback target, a restart, offline reads, and the URL's password in no output.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;
const ROLE = 'crosscheck_e2e';
const PASSWORD = 'Pg-e2e-S3cret-7f3a';

async function startTarget(port = 0): Promise<http.Server> {
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

async function stopTarget(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('a coordinator on PostgreSQL, end to end', { skip, timeout: 240_000 }, () => {
  let server: TestPostgres;
  let database: { url: string; drop(): Promise<void> };
  let url: string;
  let where: string;
  let dataDir: string;
  let otherDir: string;
  let target: http.Server;
  let targetPort: number;
  let daemon: DaemonProcess | undefined;
  /** Every CLI run's output, searched for the password at the end. */
  const outputs: string[] = [];
  const cli = async (args: string[], env: Record<string, string> = {}): Promise<CliRun> => {
    const run = await runCrosscheck(args, { CROSSCHECK_DATA_DIR: dataDir, ...env });
    outputs.push(run.stdout, run.stderr);
    return run;
  };
  const json = async <T>(args: string[], env: Record<string, string> = {}): Promise<T> => {
    const run = await cli([...args, '--json'], env);
    assert.equal(run.code, 0, `crosscheck ${args.join(' ')}: ${run.stderr}`);
    return JSON.parse(run.stdout) as T;
  };
  const stopDaemon = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const running = daemon;
    daemon = undefined;
    if (running === undefined) return null;
    const code = await running.stop(signal);
    outputs.push(running.logs());
    return code;
  };

  before(async () => {
    server = await startPostgres();
    database = await createTestDatabase(server, 'pgwire_e2e');
    // A role of its own, owning its database, as docs/postgresql.md says to set one up.
    const admin = new pg.Client({ connectionString: postgresUrl(server, 'postgres') });
    await admin.connect();
    try {
      await admin.query(`create role ${ROLE} login password '${PASSWORD}'`);
      await admin.query(`alter database pgwire_e2e owner to ${ROLE}`);
    } finally {
      await admin.end();
    }
    url = `postgres://${ROLE}:${PASSWORD}@${server.host}:${server.port}/pgwire_e2e?sslmode=disable`;
    where = `${server.host}:${server.port}/pgwire_e2e`;
    dataDir = tempDataDir();
    otherDir = tempDataDir();
    target = await startTarget();
    targetPort = (target.address() as AddressInfo).port;
  });

  after(async () => {
    await stopDaemon('SIGKILL');
    if (target?.listening) await stopTarget(target);
    await database?.drop();
    await server?.stop();
    for (const dir of [dataDir, otherDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a wrong URL before setting anything up, naming the field and not the password', async () => {
    const scheme = await cli(['init', '--database-url', `mysql://u:${PASSWORD}@h/db`]);
    assert.equal(scheme.code, 2, scheme.stderr);
    assert.match(scheme.stderr, /--database-url: unsupported scheme mysql:/);
    const mode = await cli(['start', '--api-listen', '127.0.0.1:0'], {
      CROSSCHECK_DATABASE_URL: `${url.replace('sslmode=disable', 'sslmode=prefer')}`,
    });
    assert.equal(mode.code, 2, mode.stderr);
    assert.match(mode.stderr, /CROSSCHECK_DATABASE_URL: sslmode must be one of/);
    const wrongPassword = await cli([
      'init',
      '--database-url',
      url.replace(PASSWORD, 'Wrong-pw-4d2c'),
      '--listen',
      '127.0.0.1:0',
    ]);
    assert.equal(wrongPassword.code, 3, wrongPassword.stderr);
    assert.match(wrongPassword.stderr, new RegExp(`PostgreSQL at ${where}: .*password`));
    assert.doesNotMatch(wrongPassword.stderr, /Wrong-pw-4d2c/);
    assert.equal(fs.existsSync(path.join(dataDir, 'node.json')), false, 'nothing was set up');
  });

  it('runs, pages, restarts and reads offline with its data in PostgreSQL', async () => {
    const init = await cli(['init', '--database-url', url, '--listen', '127.0.0.1:0']);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, new RegExp(`data in PostgreSQL ${where}`));
    const record = path.join(dataDir, 'database.json');
    assert.equal(fs.statSync(record).mode & 0o777, 0o600, 'the recorded URL is private');
    assert.equal(fs.existsSync(path.join(dataDir, 'crosscheck.db')), false, 'no SQLite file');

    daemon = await startDaemon(dataDir);
    const created = await json<Monitor>([
      'monitor',
      'add',
      '--name',
      'Loopback target',
      '--type',
      'http',
      '--target',
      `http://127.0.0.1:${targetPort}/`,
      '--interval',
      '1s',
      '--timeout',
      '500ms',
    ]);
    await waitFor(
      async () => {
        const [row] = await json<MonitorStatusView[]>(['status']);
        return row?.status === 'up' ? row : undefined;
      },
      20_000,
      () => 'monitor up',
    );

    await stopTarget(target);
    const [open] = await waitFor(
      async () => {
        const list = await json<Incident[]>(['incidents', '--active']);
        return list.length > 0 ? list : undefined;
      },
      20_000,
      () => 'an open incident',
    );
    assert.equal(open?.monitorId, created.id);

    target = await startTarget(targetPort);
    await waitFor(
      async () => {
        const list = await json<Incident[]>(['incidents']);
        return list.find((i) => i.id === open?.id)?.status === 'resolved' ? list : undefined;
      },
      30_000,
      () => 'incident resolved',
    );

    const health = await json<HealthView>(['health']);
    assert.equal(health.running, true);
    assert.equal(health.database?.path, `postgres://${where}`);
    assert.ok((health.database?.sizeBytes ?? 0) > 1_000_000, 'pg_database_size of a real database');
    assert.ok((health.results ?? 0) > 0);
    const metrics = await metricsText(localApi(dataDir, daemon.apiUrl));
    const size = /crosscheck_database_size_bytes (\d+)/.exec(metrics)?.[1];
    assert.ok(Number(size) > 1_000_000, `database size gauge: ${size}`);

    // One coordinator per database: another data dir cannot set up on it, nor a copy of this
    // one start beside it.
    const second = await cli(['init', '--database-url', url, '--listen', '127.0.0.1:0'], {
      CROSSCHECK_DATA_DIR: otherDir,
    });
    assert.equal(second.code, 5, second.stderr);
    assert.match(second.stderr, /already holds coordinator/);
    fs.cpSync(dataDir, otherDir, { recursive: true });
    for (const file of ['daemon.json', 'daemon.lock']) fs.rmSync(path.join(otherDir, file));
    const copy = await cli(['start', '--api-listen', '127.0.0.1:0', '--listen', '127.0.0.1:0'], {
      CROSSCHECK_DATA_DIR: otherDir,
    });
    assert.equal(copy.code, 5, copy.stderr);
    assert.match(
      copy.stderr,
      /this coordinator \(node_[^)]*\) is already running .*on the database/,
    );
    // The variable wins over database.json; a database without this coordinator (a wrong URL)
    // is refused before anything is written into it.
    const empty = await createTestDatabase(server, 'pgwire_empty');
    try {
      const wrong = await cli(['start', '--api-listen', '127.0.0.1:0', '--listen', '127.0.0.1:0'], {
        CROSSCHECK_DATA_DIR: otherDir,
        CROSSCHECK_DATABASE_URL: empty.url,
      });
      assert.equal(wrong.code, 5, wrong.stderr);
      assert.match(wrong.stderr, /pgwire_empty holds no data of this coordinator/);
      const probe = new pg.Client({ connectionString: empty.url });
      await probe.connect();
      try {
        const { rows } = await probe.query<{ n: number }>(
          `select count(*)::int as n from pg_tables where schemaname = 'public'`,
        );
        assert.equal(rows[0]?.n, 0, 'no table created in the wrong database');
      } finally {
        await probe.end();
      }
    } finally {
      await empty.drop();
    }

    assert.equal(await stopDaemon(), 0, 'graceful shutdown');

    // No daemon: reads come from PostgreSQL, read-only; writes need the daemon.
    const offline = await json<MonitorStatusView[]>(['status']);
    assert.equal(offline[0]?.id, created.id);
    const incidents = await json<Incident[]>(['incidents']);
    assert.deepEqual(
      incidents.map((i) => i.id),
      [open?.id],
    );
    const before = await json<RecordedResult[]>([
      'history',
      '--monitor',
      created.id,
      '--limit',
      '10000',
    ]);
    const write = await cli(['monitor', 'pause', created.id]);
    assert.equal(write.code, 3);
    assert.match(write.stderr, /daemon is not running/);

    // Started again through the environment variable this time: the data is all there and the
    // monitor runs on.
    daemon = await startDaemon(dataDir, [], { CROSSCHECK_DATABASE_URL: url });
    const restarted = await json<Incident[]>(['incidents']);
    assert.deepEqual(
      restarted.map((i) => [i.id, i.status]),
      [[open?.id, 'resolved']],
      'history kept, nothing duplicated',
    );
    const after = await waitFor(
      async () => {
        const rows = await json<RecordedResult[]>([
          'history',
          '--monitor',
          created.id,
          '--limit',
          '10000',
        ]);
        return rows.length > before.length + 2 ? rows : undefined;
      },
      20_000,
      () => 'checks resuming after the restart',
    );
    const [row] = await json<MonitorStatusView[]>(['status']);
    assert.equal(row?.status, 'up');
    const stored = new Set(after.map((r) => r.id));
    assert.ok(
      before.every((r) => stored.has(r.id)),
      'every earlier result kept',
    );

    assert.equal(await stopDaemon(), 0);
    assert.deepEqual(descendantProcesses(), [], 'no daemon left running');
  });

  it('moves a SQLite data dir with `migrate`, then remembers the URL its start was given', async () => {
    const sqliteDir = tempDataDir();
    const moved = await createTestDatabase(server, 'pgwire_moved');
    const admin = new pg.Client({ connectionString: postgresUrl(server, 'postgres') });
    await admin.connect();
    await admin.query(`alter database pgwire_moved owner to ${ROLE}`).finally(() => admin.end());
    const movedUrl = url.replace('/pgwire_e2e?', '/pgwire_moved?');
    const inDir = { CROSSCHECK_DATA_DIR: sqliteDir };
    try {
      daemon = await startDaemon(sqliteDir);
      const created = await json<Monitor>(
        [
          'monitor',
          'add',
          '--name',
          'Kept',
          '--type',
          'http',
          '--target',
          `http://127.0.0.1:${targetPort}/`,
          '--interval',
          '1s',
        ],
        inDir,
      );
      assert.equal(await stopDaemon(), 0);
      const migrate = await cli(['migrate', '--to', movedUrl], inDir);
      assert.equal(migrate.code, 0, migrate.stderr);

      daemon = await startDaemon(sqliteDir, ['--database-url', movedUrl]);
      // Written right after the start succeeded (just after daemon.json).
      const record = await waitFor(
        () => {
          const file = path.join(sqliteDir, 'database.json');
          return fs.existsSync(file)
            ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { url: string })
            : undefined;
        },
        5_000,
        () => 'database.json',
      );
      assert.equal(record.url, movedUrl, 'the flag the coordinator started on is recorded');
      assert.equal(await stopDaemon(), 0);

      // No flag, no variable: the recorded database, with the migrated monitor running on.
      daemon = await startDaemon(sqliteDir);
      const health = await json<HealthView>(['health'], inDir);
      assert.equal(health.database?.path, `postgres://${server.host}:${server.port}/pgwire_moved`);
      const [row] = await waitFor(
        async () => {
          const rows = await json<MonitorStatusView[]>(['status'], inDir);
          return rows[0]?.status === 'up' ? rows : undefined;
        },
        20_000,
        () => 'the migrated monitor up on PostgreSQL',
      );
      assert.equal(row?.id, created.id);
      assert.equal(await stopDaemon(), 0);
    } finally {
      await stopDaemon('SIGKILL');
      await moved.drop();
      fs.rmSync(sqliteDir, { recursive: true, force: true });
    }
  });

  it('never prints or logs the password', () => {
    assert.ok(outputs.length > 10);
    for (const text of outputs) assert.ok(!text.includes(PASSWORD), text.slice(0, 2000));
  });
});
