import { spawn } from 'node:child_process';

/** How a command run ended. */
export type CommandOutcome =
  | { kind: 'exited'; code: number | null; signal: string | null; stdout: string; stderr: string }
  | { kind: 'timed-out' }
  | { kind: 'aborted' }
  | { kind: 'not-started'; reason: string };

/** Output kept per stream: enough for an error excerpt, never a runaway log. */
const MAX_OUTPUT_BYTES = 8 * 1024;

export interface CommandRun {
  executable: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  stdin: string;
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * Runs an executable directly (`shell: false`: arguments are never parsed or expanded), writes
 * `stdin` to it, and waits for it to exit. Past the time limit, or when `signal` aborts, the
 * process is killed (SIGKILL: a hung script may ignore SIGTERM) and the run settles at once.
 */
export function runCommand(run: CommandRun): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: CommandOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const child = spawn(run.executable, [...run.args], {
      shell: false,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...run.env },
    });
    const stdout = boundedCollector();
    const stderr = boundedCollector();
    child.stdout.on('data', stdout.add);
    child.stderr.on('data', stderr.add);
    // A script that exits without reading its input closes the pipe: not an error of ours.
    child.stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish({ kind: 'not-started', reason: error.code ?? error.message }),
    );
    child.on('close', (code, signal) =>
      finish({ kind: 'exited', code, signal, stdout: stdout.text(), stderr: stderr.text() }),
    );
    const kill = (outcome: CommandOutcome) => {
      child.kill('SIGKILL');
      finish(outcome);
    };
    const timer = setTimeout(() => kill({ kind: 'timed-out' }), run.timeoutMs);
    const onAbort = () => kill({ kind: 'aborted' });
    if (run.signal.aborted) onAbort();
    else run.signal.addEventListener('abort', onAbort, { once: true });
    child.stdin.end(run.stdin);
  });
}

function boundedCollector(): { add: (chunk: Buffer) => void; text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    add: (chunk) => {
      if (size >= MAX_OUTPUT_BYTES) return;
      chunks.push(chunk.subarray(0, MAX_OUTPUT_BYTES - size));
      size += Math.min(chunk.byteLength, MAX_OUTPUT_BYTES - size);
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}
