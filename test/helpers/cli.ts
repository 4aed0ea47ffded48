import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve(import.meta.dirname, '../../bin/crosscheck.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `crosscheck` CLI as a user would (a new Node process). */
export function runCrosscheck(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<CliRun> {
  return runProcess(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeoutMs,
    label: `crosscheck ${args.join(' ')}`,
  });
}

/** Runs a command to its end, collecting its output; rejects (after SIGKILL) at `timeoutMs`. */
export function runProcess(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; timeoutMs: number; cwd?: string; label?: string },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      const label = options.label ?? `${command} ${args.join(' ')}`;
      reject(new Error(`${label} timed out; stderr: ${stderr}`));
    }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Runs the CLI and parses its stdout as JSON, failing with the CLI's stderr otherwise. */
export async function crosscheckJson<T>(
  args: string[],
  env: Record<string, string> = {},
): Promise<T> {
  const run = await runCrosscheck([...args, '--json'], env);
  if (run.code !== 0)
    throw new Error(`crosscheck ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** A daemon process started with `crosscheck start`. */
export interface DaemonProcess {
  child: ChildProcess;
  pid: number;
  apiUrl: string;
  logs(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `crosscheck start` on a data dir with the API on a free loopback port; waits until it serves. */
export async function startDaemon(
  dataDir: string,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
  options: { agent?: boolean } = {},
): Promise<DaemonProcess> {
  // An agent refuses the coordinator's flags.
  const coordinatorArgs = options.agent
    ? []
    : [
        '--listen',
        '127.0.0.1:0',
        // Every test target is on 127.0.0.1: monitors of one test failing together would share
        // one page. Tests prove each monitor's own page; grouping is on where it is under test.
        ...(extraArgs.includes('--group-min') ? [] : ['--group-min', '0']),
      ];
  const child = spawn(
    process.execPath,
    [
      BIN,
      'start',
      '--data-dir',
      dataDir,
      '--api-listen',
      '127.0.0.1:0',
      ...coordinatorArgs,
      ...extraArgs,
    ],
    {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let logs = '';
  child.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const apiUrl = await waitFor(
    async () => {
      if (child.exitCode !== null)
        throw new Error(`daemon exited early (${child.exitCode}): ${logs}`);
      return daemonApiUrl(dataDir, child);
    },
    // A start takes 1–2 s on a quiet machine and past 12 s on a loaded CI one.
    30_000,
    () => `daemon did not start: ${logs}`,
  );
  return {
    child,
    pid: child.pid ?? -1,
    apiUrl,
    logs: () => logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The API URL in the data dir's `daemon.json` once `child` has written it, else undefined. */
export function daemonApiUrl(dataDir: string, child: ChildProcess): string | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dataDir, 'daemon.json'), 'utf8')) as {
      pid: number;
      apiUrl: string;
    };
    return info.pid === child.pid ? info.apiUrl : undefined;
  } catch {
    return undefined;
  }
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  describe: () => string = () => 'condition',
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A fresh temporary data dir; remove it with `fs.rmSync(dir, { recursive: true, force: true })`. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-e2e-'));
}
