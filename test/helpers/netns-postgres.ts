// A throwaway PostgreSQL server INSIDE a lab namespace (netns.ts), for several coordinators in
// other namespaces to share: a namespace cannot reach another's loopback, so the server listens
// on its host's lab address and pg_hba admits the lab's /24 (password, scram). The test process
// itself (root namespace) reads the database over the server's Unix socket: a socket file is not
// scoped by network namespace, so no route out of the lab is needed for that either.
//
//   const db = await startLabPostgres(lab, 'pg');
//   t.after(() => db.stop());   // before lab.cleanup(), which would SIGKILL it
//   crosscheck init --database-url db.url …
//   const rows = await db.query<{ n: string }>('select count(*) as n from results');
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AppError } from '../../src/lib/errors.ts';
import type { Lab } from './netns.ts';
import { findTool, run } from './netns-process.ts';
import { postgresBinDir } from './postgres-server.ts';

const SUPERUSER = 'postgres';
const DATABASE = 'crosscheck';
/**
 * The namespace is created by this lab and runs nothing else, so PostgreSQL's own port is free
 * there by construction (as cluster-lab's fixed peer port is).
 */
const PORT = 5432;

/** A PostgreSQL server running inside a lab host's namespace. */
export interface LabPostgres {
  /** The lab host it runs in. */
  host: string;
  address: string;
  port: number;
  /** URL of the lab database as its superuser, for coordinators inside the lab. */
  url: string;
  /** One statement on the lab database from the test process (Unix socket). */
  query<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]>;
  /** The server's log so far, for an assertion message. */
  log(): string;
  /** Stops the server (immediate) and removes its files; idempotent. */
  stop(): Promise<void>;
}

/** initdb, then pg_ctl start inside `host`'s namespace, then `create database crosscheck`. */
export async function startLabPostgres(lab: Lab, host: string): Promise<LabPostgres> {
  const bin = postgresBinDir();
  if ('missing' in bin) throw new AppError('UNAVAILABLE', bin.missing);
  const { ns, address } = lab.host(host);
  const subnet = `${address.split('.').slice(0, 3).join('.')}.0/24`;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `crosscheck-${lab.id}-pg-`));
  const data = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  const password = `lab-${lab.id}-pw`;
  fs.writeFileSync(path.join(root, 'pw'), password, { mode: 0o600 });
  execFileSync('chown', ['-R', `${SUPERUSER}:`, root]);
  // The server refuses to run as root; `ip netns exec` needs root, so runuser comes after it.
  const asOwner = (binary: string, args: readonly string[], inNamespace: boolean) =>
    run(
      inNamespace ? tool('ip') : tool('runuser'),
      [
        ...(inNamespace ? ['netns', 'exec', ns, tool('runuser')] : []),
        '-u',
        SUPERUSER,
        '--',
        path.join(bin.dir, binary),
        ...args,
      ],
      { timeoutMs: 60_000 },
    );

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      try {
        if (fs.existsSync(path.join(data, 'postmaster.pid')))
          await asOwner('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], false);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    })();
    return stopped;
  };

  try {
    await asOwner(
      'initdb',
      [
        '-D',
        data,
        '-U',
        SUPERUSER,
        `--pwfile=${path.join(root, 'pw')}`,
        '--auth-host=scram-sha-256',
        '--auth-local=trust',
        '--no-sync',
      ],
      false,
    );
    fs.appendFileSync(path.join(data, 'pg_hba.conf'), `host all all ${subnet} scram-sha-256\n`);
    const settings = [
      `-p ${PORT}`,
      `-k ${root}`,
      `-c listen_addresses=${address}`,
      '-c fsync=off',
      // Three coordinators hold pools, lease and bus sessions each.
      '-c max_connections=300',
    ];
    await asOwner(
      'pg_ctl',
      ['-D', data, '-o', settings.join(' '), '-l', logFile, '-w', 'start'],
      true,
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const connect = async (database: string): Promise<pg.Client> => {
    const client = new pg.Client({ host: root, port: PORT, user: SUPERUSER, database });
    await client.connect();
    return client;
  };
  const admin = await connect('postgres');
  try {
    await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }

  return {
    host,
    address,
    port: PORT,
    url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@${address}:${PORT}/${DATABASE}?sslmode=disable`,
    async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      const client = await connect(DATABASE);
      try {
        return (await client.query<T>(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    log: () => {
      try {
        return fs.readFileSync(logFile, 'utf8');
      } catch {
        return '(no server log)';
      }
    },
    stop,
  };
}

function tool(name: 'ip' | 'runuser'): string {
  const found = findTool(name);
  if (!found) throw new AppError('UNAVAILABLE', `\`${name}\` is not installed`);
  return found;
}
