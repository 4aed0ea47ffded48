import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { PemPair } from './certs.ts';

// A throwaway PostgreSQL cluster for tests: Debian's server binaries, `initdb` into a temp dir
// (owned by the `postgres` user when the tests run as root, since the server refuses root),
// listening on 127.0.0.1 at a free port, stopped and removed by `stop()`.

const SUPERUSER = 'postgres';

/** A running test cluster. */
export interface TestPostgres {
  host: string;
  port: number;
  /** `127.0.0.1:PORT`, a postgres check target. */
  target: string;
  superuser: string;
  password: string;
  /** The postmaster's PID (pg_ctl detaches it, so it is no child of ours), for CPU readings. */
  pid: number;
  stop(): Promise<void>;
}

/** The newest installed server's bin dir, or why there is none (a reason to skip). */
export function postgresBinDir(): { dir: string } | { missing: string } {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((name) => fs.existsSync(path.join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) return { missing: 'PostgreSQL server binaries are not installed' };
  return { dir: path.join(root, newest, 'bin') };
}

/** A TCP port nobody listens on right now (the server binds it a moment later). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Runs a server binary as the cluster's owner: `postgres` when we are root, else ourselves. */
function runAsOwner(binary: string, args: readonly string[]): void {
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? 'runuser' : binary;
  const argv = asRoot ? ['-u', SUPERUSER, '--', binary, ...args] : [...args];
  const run = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0)
    throw new Error(`${path.basename(binary)} failed (${run.status}): ${run.stderr || run.stdout}`);
}

/** Starts a cluster; with `tls`, the server also offers TLS with that certificate. */
export async function startPostgres(options: { tls?: PemPair } = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if ('missing' in bin) throw new Error(bin.missing);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-pg-'));
  const data = path.join(root, 'data');
  const password = 'test-superuser-pw';
  fs.writeFileSync(path.join(root, 'pw'), password, { mode: 0o600 });
  if (options.tls) {
    fs.writeFileSync(path.join(root, 'server.crt'), options.tls.certPem, { mode: 0o600 });
    fs.writeFileSync(path.join(root, 'server.key'), options.tls.keyPem, { mode: 0o600 });
  }
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', `${SUPERUSER}:`, root]);
  const port = await freePort();
  runAsOwner(path.join(bin.dir, 'initdb'), [
    '-D',
    data,
    '-U',
    SUPERUSER,
    `--pwfile=${path.join(root, 'pw')}`,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '--no-sync',
  ]);
  const settings = [
    `-p ${port}`,
    `-k ${root}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    ...(options.tls
      ? [
          '-c ssl=on',
          `-c ssl_cert_file=${path.join(root, 'server.crt')}`,
          `-c ssl_key_file=${path.join(root, 'server.key')}`,
        ]
      : []),
  ];
  runAsOwner(path.join(bin.dir, 'pg_ctl'), [
    '-D',
    data,
    '-o',
    settings.join(' '),
    '-l',
    path.join(root, 'server.log'),
    '-w',
    'start',
  ]);
  return {
    host: '127.0.0.1',
    port,
    target: `127.0.0.1:${port}`,
    superuser: SUPERUSER,
    password,
    // The first line of postmaster.pid, written before `pg_ctl -w start` returns.
    pid: Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    stop: async () => {
      try {
        runAsOwner(path.join(bin.dir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** A connection URL for `database` on the cluster, as its superuser. */
export function postgresUrl(server: TestPostgres, database: string): string {
  const password = encodeURIComponent(server.password);
  return `postgres://${server.superuser}:${password}@${server.host}:${server.port}/${database}`;
}

/**
 * Waits (bounded) until no session is connected to `database`: a closed client's backend ends
 * a moment after the client, and a database with a session cannot serve as a template.
 */
export async function waitForNoSessions(server: TestPostgres, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl(server, 'postgres') });
  await client.connect();
  try {
    for (let round = 0; round < 100; round++) {
      const { rows } = await client.query<{ n: string }>(
        'select count(*) as n from pg_stat_activity where datname = $1',
        [database],
      );
      if (Number(rows[0]?.n) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`sessions still connected to ${database} after 5 s`);
  } finally {
    await client.end();
  }
}

/** Runs one statement on the cluster's `postgres` database as the superuser. */
async function adminQuery(server: TestPostgres, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl(server, 'postgres') });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database on the cluster (from template0, so nothing a test left in template1
 * leaks in), and a `drop` that removes it, ending any connection still open to it. `template`
 * copies another database instead (one migrated once, so each test skips the migrations); it
 * must have no open connection.
 */
export async function createTestDatabase(
  server: TestPostgres,
  name: string,
  template = 'template0',
): Promise<{ url: string; drop(): Promise<void> }> {
  for (const plain of [name, template])
    if (!/^[a-z_][a-z0-9_]*$/.test(plain)) throw new Error(`not a plain database name: ${plain}`);
  await adminQuery(server, `create database ${name} template ${template}`);
  return {
    url: postgresUrl(server, name),
    drop: () => adminQuery(server, `drop database if exists ${name} with (force)`),
  };
}
