import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { runCrosscheck } from '../../test/helpers/cli.ts';
import { descendantProcesses } from '../../test/helpers/open-handles.ts';
import { populateStore } from '../../test/helpers/populated-store.ts';
import type { TestPostgres } from '../../test/helpers/postgres-server.ts';
import {
  createTestDatabase,
  postgresBinDir,
  startPostgres,
} from '../../test/helpers/postgres-server.ts';
import { makeMonitor } from '../store/contract/fixtures.ts';
import { openPostgresStore } from '../store/postgres/open-postgres-store.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.ts';

// `crosscheck migrate --to postgres://…` as a user runs it: a real CLI process, a real
// throwaway cluster (one for the file, a fresh database per test). Killed with SIGKILL part
// way and run again; refusals with their exit codes; progress on stderr, JSON on stdout.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;
const BIN = path.resolve(import.meta.dirname, '../../bin/crosscheck.js');

interface Summary {
  target: string;
  resumed: boolean;
  rows: number;
  tables: { table: string; rows: number; resumedFrom: number; rowsPerSecond: number }[];
}

/** A data dir whose database holds `results` results and a little of everything else. */
async function dataDir(results: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-migrate-cli-'));
  const store = await openSqliteStore({ file: path.join(dir, 'crosscheck.db') });
  try {
    await populateStore(store, results);
  } finally {
    await store.close();
  }
  return dir;
}

async function rawResultCounts(url: string): Promise<{ n: string; ids: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string; ids: string }>(
      'select count(*) as n, count(distinct id) as ids from raw_results',
    );
    return rows[0] ?? { n: '', ids: '' };
  } finally {
    await client.end();
  }
}

/**
 * Starts the CLI and SIGKILLs it once its stderr shows raw_results part copied. Resolves with
 * that stderr; the process is gone by then.
 */
function killPartWay(dir: string, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, '--data-dir', dir, 'migrate', '--to', url, '--chunk-rows', '100'],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no raw_results progress in time; stderr: ${stderr}`));
    }, 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const part = /raw_results: ([\d,]+)\/([\d,]+) rows/.exec(stderr);
      if (part !== null && part[1] !== part[2]) child.kill('SIGKILL');
    });
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(stderr);
      else reject(new Error(`the migrate ended before it was killed: ${stderr}`));
    });
  });
}

describe('crosscheck migrate', { skip, timeout: 110_000 }, () => {
  let server: TestPostgres;
  let databases = 0;
  const cleanups: (() => Promise<void>)[] = [];
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await server.stop();
  });

  async function freshDatabase(): Promise<string> {
    const db = await createTestDatabase(server, `migrate_cli_${++databases}`);
    cleanups.push(() => db.drop());
    return db.url;
  }

  async function populatedDir(results: number): Promise<string> {
    const dir = await dataDir(results);
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('killed with SIGKILL part way, then run again, copies every row exactly once', async () => {
    const dir = await populatedDir(30_000);
    const url = await freshDatabase();
    const progress = await killPartWay(dir, url);
    assert.match(progress, /monitors: 3\/3 rows/);
    const partial = await rawResultCounts(url);
    assert.ok(Number(partial.n) > 0 && Number(partial.n) < 30_000, `partial: ${partial.n}`);
    assert.deepEqual(descendantProcesses(), [], 'no process left behind');

    const run = await runCrosscheck(
      ['--data-dir', dir, 'migrate', '--to', url, '--json'],
      {},
      90_000,
    );
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as Summary;
    assert.equal(summary.resumed, true);
    const raw = summary.tables.find((t) => t.table === 'raw_results');
    assert.equal(raw?.rows, 30_000);
    assert.ok((raw?.resumedFrom ?? 0) >= Number(partial.n));
    assert.ok((raw?.rowsPerSecond ?? 0) > 0);
    assert.match(run.stderr, /raw_results: 30,000\/30,000 rows \([\d,]+ rows\/s\)/);
    assert.deepEqual(await rawResultCounts(url), { n: '30000', ids: '30000' });
    assert.equal(summary.target.includes(server.password), false);
    assert.match(summary.target, /^127\.0\.0\.1:\d+\/migrate_cli_\d+$/);
  });

  it('prints a plain summary and refuses to mix another source into the same database', async () => {
    const dir = await populatedDir(50);
    const url = await freshDatabase();
    const run = await runCrosscheck(['--data-dir', dir, 'migrate', '--to', url]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /migrated [\d,]+ rows in \d+ tables to 127\.0\.0\.1:\d+\/migrate_cli_\d+/,
    );
    const other = await populatedDir(60);
    const refused = await runCrosscheck(['--data-dir', other, 'migrate', '--to', url]);
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /earlier migrate from a different source/);
  });

  it('refuses a target that already holds Crosscheck data', async () => {
    const dir = await populatedDir(10);
    const url = await freshDatabase();
    const store = await openPostgresStore({ url });
    await store.insertMonitor(makeMonitor('already-here'));
    await store.close();
    const run = await runCrosscheck(['--data-dir', dir, 'migrate', '--to', url]);
    assert.equal(run.code, 5, run.stderr);
    assert.match(
      run.stderr,
      /already holds Crosscheck data \(.*\bmonitors\b.*\); migrate into an empty database/,
    );
  });

  it('refuses while a daemon runs on the data dir', async () => {
    const dir = await populatedDir(10);
    const url = await freshDatabase();
    // A live pid in the lock, as a running daemon leaves it (this test process stands in).
    fs.writeFileSync(path.join(dir, 'daemon.lock'), String(process.pid));
    const run = await runCrosscheck(['--data-dir', dir, 'migrate', '--to', url]);
    assert.equal(run.code, 5, run.stderr);
    assert.match(run.stderr, /daemon \(pid \d+\) is already running/);
    assert.equal(fs.readFileSync(path.join(dir, 'daemon.lock'), 'utf8'), String(process.pid));
  });

  it('fails clearly on a bad URL, an unreachable server, a wrong password and no database', async () => {
    const dir = await populatedDir(10);
    const cases = [
      { to: 'mysql://u:pw@127.0.0.1/db', code: 2, message: /unsupported scheme mysql:/ },
      {
        // Port 9 on loopback: nothing listens, the connect is refused.
        to: 'postgres://u:s3cret-refused@127.0.0.1:9/db',
        code: 3,
        message: /PostgreSQL at 127\.0\.0\.1:9\/db: .*ECONNREFUSED/,
      },
      {
        to: `postgres://postgres:s3cret-wrong@127.0.0.1:${server.port}/postgres`,
        code: 3,
        message: /password authentication failed/,
      },
    ];
    for (const { to, code, message } of cases) {
      const run = await runCrosscheck(['--data-dir', dir, 'migrate', '--to', to]);
      assert.equal(run.code, code, `${to}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(`${run.stdout}${run.stderr}`.includes('s3cret'), false, 'no password printed');
    }
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-migrate-cli-'));
    cleanups.push(async () => fs.rmSync(empty, { recursive: true, force: true }));
    const url = await freshDatabase();
    const missing = await runCrosscheck(['--data-dir', empty, 'migrate', '--to', url]);
    assert.equal(missing.code, 4, missing.stderr);
    assert.match(missing.stderr, /no Crosscheck database at/);
  });
});
