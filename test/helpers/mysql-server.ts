import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PemPair } from './certs.ts';

// A throwaway MariaDB for tests: Debian's `mariadb-install-db` into a temp dir, `mariadbd`
// listening on 127.0.0.1 at a free port (and a socket in the temp dir for the admin client),
// grants on (the wrong-password test needs them), killed by PID and removed by `stop()`.

const DAEMON = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd'];
const INSTALL_DB = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'];
const CLIENT = ['/usr/bin/mariadb', '/usr/bin/mysql'];

/** A running test server. */
export interface TestMysql {
  host: string;
  port: number;
  /** `127.0.0.1:PORT`, a mysql check target. */
  target: string;
  /** Runs SQL as root over the server's socket; returns its tab-separated output. */
  sql(statement: string): string;
  stop(): Promise<void>;
}

function firstExisting(candidates: readonly string[]): string | undefined {
  return candidates.find((file) => fs.existsSync(file));
}

/** The server binaries, or why there are none (a reason to skip). */
export function mariadbBinaries():
  { daemon: string; installDb: string; client: string } | { missing: string } {
  const daemon = firstExisting(DAEMON);
  const installDb = firstExisting(INSTALL_DB);
  const client = firstExisting(CLIENT);
  if (daemon === undefined || installDb === undefined || client === undefined)
    return { missing: 'MariaDB server binaries are not installed (Debian mariadb-server)' };
  return { daemon, installDb, client };
}

/** A TCP port nobody listens on right now (the server binds it a moment later). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** True once something accepts on the port (the server is ready for clients). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    // Settles once the probe's socket is closed, so no test counts it as open.
    const socket = createConnection({ host: '127.0.0.1', port });
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      socket.destroy();
    });
    socket.once('error', () => undefined);
    socket.once('close', () => resolve(connected));
  });
}

/**
 * Starts a server; with `tls`, it also offers TLS with that certificate. Root runs it as root
 * (`--user=root`): the temp dir is root's, and the server refuses root unless told.
 */
export async function startMysql(options: { tls?: PemPair } = {}): Promise<TestMysql> {
  const bins = mariadbBinaries();
  if ('missing' in bins) throw new Error(bins.missing);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-mariadb-'));
  const data = path.join(root, 'data');
  const socketPath = path.join(root, 'sock');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const install = spawnSync(
    bins.installDb,
    [
      '--no-defaults',
      `--datadir=${data}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...asRoot,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (install.status !== 0) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed (${install.status}): ${install.stderr}`);
  }
  if (options.tls) {
    fs.writeFileSync(path.join(root, 'server.crt'), options.tls.certPem, { mode: 0o600 });
    fs.writeFileSync(path.join(root, 'server.key'), options.tls.keyPem, { mode: 0o600 });
  }
  const port = await freePort();
  const server: ChildProcess = spawn(
    bins.daemon,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socketPath}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${path.join(root, 'pid')}`,
      `--log-error=${path.join(root, 'error.log')}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=16M',
      '--performance-schema=off',
      ...(options.tls
        ? [
            `--ssl-cert=${path.join(root, 'server.crt')}`,
            `--ssl-key=${path.join(root, 'server.key')}`,
          ]
        : []),
      ...asRoot,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  // Bounded wait for the port: about 30 s, far above the usual 1-2 s.
  let ready = false;
  for (let round = 0; round < 300 && !ready && server.exitCode === null; round++) {
    ready = await accepts(port);
    if (!ready) await sleep(100);
  }
  if (!ready) {
    const log = fs.readFileSync(path.join(root, 'error.log'), 'utf8').slice(-2000);
    await stop();
    throw new Error(`mariadbd did not start:\n${log}`);
  }
  const sql = (statement: string): string => {
    const run = spawnSync(
      bins.client,
      ['--no-defaults', `--socket=${socketPath}`, '-uroot', '-N', '-B', '-e', statement],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (run.status !== 0) throw new Error(`mariadb client failed: ${run.stderr}`);
    return run.stdout;
  };
  return { host: '127.0.0.1', port, target: `127.0.0.1:${port}`, sql, stop };
}
