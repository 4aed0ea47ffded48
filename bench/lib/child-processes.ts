import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createInterface } from 'node:readline';

/** A child the bench started: its pid, and a promise of its exit. */
export interface BenchChild {
  readonly pid: number;
  readonly name: string;
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Epoch ms just before `spawn` was called. */
  readonly spawnedAt: number;
}

export interface SpawnOptions {
  name: string;
  args: string[];
  /** stderr (and stdout unless `readStdout`) are appended here, for diagnosis after a failure. */
  logFile?: string;
  /** Share the bench's own stdout and stderr instead (a scenario run in a child process). */
  inheritOutput?: boolean;
  /** Keep stdout as a pipe so the caller can read lines from it. */
  readStdout?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Node flags placed before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}

/**
 * Every process the bench starts, so that all of them are stopped by pid at the end, also on
 * error or Ctrl-C. Nothing is ever stopped by name.
 */
export class ChildProcesses {
  private readonly children = new Map<number, BenchChild>();

  /** Starts `node <args>` (the same Node binary as the bench). */
  spawnNode(options: SpawnOptions): BenchChild {
    const log = options.inheritOutput
      ? 'inherit'
      : fs.openSync(options.logFile ?? '/dev/null', 'a');
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...options.args], {
      stdio: ['ignore', options.readStdout ? 'pipe' : log, log],
      env: options.env ?? process.env,
    });
    if (typeof log === 'number') fs.closeSync(log);
    if (child.pid === undefined) throw new Error(`bench: could not start ${options.name}`);
    const pid = child.pid;
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        this.children.delete(pid);
        resolve(code);
      });
      child.once('error', () => {
        this.children.delete(pid);
        resolve(null);
      });
    });
    const entry: BenchChild = { pid, name: options.name, process: child, exited, spawnedAt };
    this.children.set(pid, entry);
    return entry;
  }

  /** Sends SIGTERM, waits up to `graceMs` for the exit, then SIGKILL. Resolves the exit code. */
  async stop(child: BenchChild, graceMs = 10_000): Promise<number | null> {
    if (!this.children.has(child.pid)) return child.exited;
    signal(child.pid, 'SIGTERM');
    const timer = setTimeout(() => signal(child.pid, 'SIGKILL'), graceMs);
    try {
      return await child.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops every child still running (in parallel). */
  async stopAll(graceMs = 10_000): Promise<void> {
    await Promise.all([...this.children.values()].map((child) => this.stop(child, graceMs)));
  }

  /** Last resort on process exit: SIGKILL every child still known, synchronously. */
  killAllNow(): void {
    for (const pid of this.children.keys()) signal(pid, 'SIGKILL');
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** The first stdout line of `child`, parsed as JSON; rejects on exit or after `timeoutMs`. */
export function firstJsonLine<T>(child: BenchChild, timeoutMs: number): Promise<T> {
  const stdout = child.process.stdout;
  if (!stdout) return Promise.reject(new Error(`${child.name}: stdout is not a pipe`));
  return new Promise<T>((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    const timer = setTimeout(() => {
      lines.close();
      reject(new Error(`${child.name}: no output within ${timeoutMs} ms`));
    }, timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      try {
        resolve(JSON.parse(line) as T);
      } catch (error) {
        reject(new Error(`${child.name}: bad output line ${line.slice(0, 200)}`, { cause: error }));
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited (code ${code}) before reporting`));
    });
  });
}
