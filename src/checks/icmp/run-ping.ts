import { spawn } from 'node:child_process';

/** How one ping process ended, with what it printed. */
export type PingRun =
  | { kind: 'spawn-error'; error: unknown }
  | { kind: 'exited'; exitCode: number | null; stdout: string; stderr: string }
  | { kind: 'killed'; stdout: string; stderr: string };

/** Ping's output is small; more than this means something else is talking. */
const MAX_OUTPUT_CHARS = 64 * 1024;

// A fixed environment: C locale so the output parses, a standard PATH so `ping` is found
// without reading this process's environment.
const CHILD_ENV = {
  LC_ALL: 'C',
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
};

/** Runs ping; when `signal` aborts, kills it and reports what it printed so far. Never rejects. */
export function runPing(
  command: string,
  args: readonly string[],
  signal: AbortSignal,
): Promise<PingRun> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const settle = (run: PingRun): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(run);
    };
    const child = spawn(command, args, { env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = (): void => {
      child.kill('SIGKILL');
      settle({ kind: 'killed', stdout, stderr });
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT_CHARS) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_OUTPUT_CHARS) stderr += chunk;
    });
    child.once('error', (error) => settle({ kind: 'spawn-error', error }));
    child.once('close', (exitCode) => settle({ kind: 'exited', exitCode, stdout, stderr }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
