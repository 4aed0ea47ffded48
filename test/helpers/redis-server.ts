import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Debian's redis-server (package redis-server, installed by .ci/run). */
const REDIS_BINARY = 'redis-server';
const START_ATTEMPTS = 100;

/** A redis-server the test started on a free loopback port, in its own temp dir. */
export interface TestRedisServer {
  port: number;
  target: string;
  /** `rediss://127.0.0.1:<tls port>` when started with a certificate. */
  tlsTarget: string | undefined;
  /** Sends one command over a fresh connection (authenticated when the server has a password). */
  command(...args: string[]): Promise<string>;
  /** Clients connected now, not counting the connection that asks. */
  connectedClients(): Promise<number>;
  /** Stops the server by its PID and removes its directory. */
  stop(): Promise<void>;
}

/** Why redis tests cannot run here, or undefined when the binary is available. */
export function redisUnavailable(): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(path.delimiter);
  const found = dirs.some((dir) => fs.existsSync(path.join(dir, REDIS_BINARY)));
  return found ? undefined : `${REDIS_BINARY} is not installed (apt-get install redis-server)`;
}

/** A loopback port that was free a moment ago, for a server binary that cannot bind port 0. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts redis-server; with `tls`, it also listens for TLS on a second port (no client certs). */
export async function startRedisServer(
  options: { password?: string; tls?: { certPem: string; keyPem: string } } = {},
): Promise<TestRedisServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-redis-'));
  const port = await freePort();
  const tlsPort = options.tls === undefined ? undefined : await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--dir', dir, '--daemonize', 'no', '--loglevel', 'warning');
  if (options.password !== undefined) args.push('--requirepass', options.password);
  if (options.tls !== undefined && tlsPort !== undefined) {
    fs.writeFileSync(path.join(dir, 'cert.pem'), options.tls.certPem);
    fs.writeFileSync(path.join(dir, 'key.pem'), options.tls.keyPem);
    args.push('--tls-port', String(tlsPort), '--tls-auth-clients', 'no');
    args.push(
      '--tls-cert-file',
      path.join(dir, 'cert.pem'),
      '--tls-key-file',
      path.join(dir, 'key.pem'),
    );
  }
  const child = spawn(REDIS_BINARY, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const send = (...command: string[]) => rawCommand(port, options.password, command);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  await waitUntilReady(child, send, () => stderr).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return {
    port,
    target: `127.0.0.1:${port}`,
    tlsTarget: tlsPort === undefined ? undefined : `rediss://127.0.0.1:${tlsPort}`,
    command: send,
    connectedClients: async () => {
      const info = await send('INFO', 'clients');
      const count = Number(/connected_clients:(\d+)/.exec(info)?.[1]);
      return count - 1;
    },
    stop,
  };
}

async function waitUntilReady(
  child: ChildProcess,
  send: (...command: string[]) => Promise<string>,
  stderr: () => string,
): Promise<void> {
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${stderr()}`);
    const reply = await send('PING').catch(() => undefined);
    if (reply === '+PONG') return;
    await sleep(50);
  }
  throw new Error(`redis-server did not answer PING: ${stderr()}`);
}

/** One command in RESP over a fresh socket; the raw first reply (e.g. `+PONG`, `$5\r\n…`). */
function rawCommand(port: number, password: string | undefined, words: string[]): Promise<string> {
  const encode = (command: string[]) =>
    `*${command.length}\r\n${command.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`;
  const prefix = password === undefined ? '' : encode(['AUTH', password]);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let received = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('test redis command timed out')));
    socket.on('connect', () => socket.write(prefix + encode(words) + encode(['QUIT'])));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      // Skip the AUTH reply; QUIT's +OK follows the answer.
      const replies = password === undefined ? received : received.replace(/^\+OK\r\n/, '');
      resolve(replies.replace(/\+OK\r\n$/, '').replace(/\r\n$/, ''));
    });
  });
}
