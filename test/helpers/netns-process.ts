// Process plumbing for the netns harness (netns.ts): tracked children with bounded output
// capture, and a run-to-completion helper for `ip`/`nft` calls.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src/lib/errors.ts';

/** A process running inside a lab namespace. */
export interface LabProcess {
  pid: number;
  /** Captured stdout so far (the last 1 MiB). */
  stdout(): string;
  /** Captured stderr so far (the last 1 MiB). */
  stderr(): string;
  /** The exit code; null when a signal ended it. */
  exited: Promise<number | null>;
  /** Sends `signal` (default SIGTERM), then SIGKILL if it is still running after a bound; resolves once it exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A LabProcess the lab can also kill synchronously from a process 'exit' hook. */
export interface TrackedProcess extends LabProcess {
  killSync(): void;
}

/** Output kept per stream: enough for any diagnosis, bounded for chatty processes. */
export const MAX_CAPTURE_CHARS = 1024 * 1024;

/** Wraps a spawned child (stdout/stderr piped) as a tracked LabProcess. */
export function labProcess(child: ChildProcess, graceMs: number): TrackedProcess {
  const out = capture(child.stdout);
  const err = capture(child.stderr);
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      err.append(`spawn failed: ${error.message}\n`);
      done = true;
      resolve(null);
    });
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    });
  });
  const pid = child.pid ?? -1;
  const signal = (name: NodeJS.Signals): void => {
    if (!done && pid > 0) killQuietly(pid, name);
  };
  return {
    pid,
    stdout: out.text,
    stderr: err.text,
    exited,
    async kill(name = 'SIGTERM') {
      signal(name);
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    killSync: () => signal('SIGKILL'),
  };
}

/** Result of a command run to completion. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; a non-zero exit throws UNAVAILABLE unless `allowFailure`. */
export function run(
  command: string,
  args: readonly string[],
  options: {
    input?: string;
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
    allowFailure?: boolean;
  } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out = capture(child.stdout);
    const err = capture(child.stderr);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new AppError('UNAVAILABLE', `${command} could not start: ${error.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const result = { code, stdout: out.text(), stderr: err.text() };
      if (code === 0 || options.allowFailure) resolve(result);
      else
        reject(
          new AppError(
            'UNAVAILABLE',
            `${command} ${args.join(' ')} exited ${code ?? 'on a signal'}: ${result.stderr.trim()}`,
          ),
        );
    });
  });
}

/** The absolute path of `tool` on PATH or in root's sbin dirs; undefined when missing. */
export function findTool(tool: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, tool);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next dir.
    }
  }
  return undefined;
}

/** Appends to a string, keeping only its last `max` characters. */
export function appendBounded(current: string, chunk: string, max: number): string {
  const next = current + chunk;
  return next.length > max ? next.slice(next.length - max) : next;
}

function capture(stream: NodeJS.ReadableStream | null): {
  text: () => string;
  append: (chunk: string) => void;
} {
  let text = '';
  const append = (chunk: string): void => {
    text = appendBounded(text, chunk, MAX_CAPTURE_CHARS);
  };
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => append(chunk));
  return { text: () => text, append };
}

/** Whether a process with this pid exists (ours or not). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; only ESRCH means gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends a signal, ignoring a process that is already gone. */
export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
