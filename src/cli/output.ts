import Table from 'cli-table3';
import pc from 'picocolors';
import { formatDuration } from '../lib/duration.ts';

/** Where command output goes; tests capture it. Colours only on a TTY (and never with NO_COLOR). */
export interface Output {
  json(value: unknown): void;
  line(text?: string): void;
  error(text: string): void;
  readonly color: boolean;
}

/** Output to the process's stdout/stderr. */
export function processOutput(): Output {
  const color = Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env);
  return {
    color,
    json: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    line: (text = '') => process.stdout.write(`${text}\n`),
    error: (text) => process.stderr.write(`${text}\n`),
  };
}

/**
 * A closed pipe is the reader's choice, not a failure. When stdout's reader went away
 * (`crosscheck status | head -1`) the command stops at once with exit 0: there is no point
 * computing output nobody reads. When only stderr's reader went away, nothing stops: a daemon
 * keeps monitoring (its log lines have nowhere to go) and a command still writes its answer.
 * Other stream errors stay as fatal as before.
 */
export function exitQuietlyOnClosedPipe(
  streams: { stdout: NodeJS.EventEmitter; stderr: NodeJS.EventEmitter },
  exit: (code: number) => void,
): void {
  streams.stdout.on('error', (error: unknown) => {
    if (isClosedPipe(error)) exit(0);
    else throw error;
  });
  streams.stderr.on('error', (error: unknown) => {
    if (!isClosedPipe(error)) throw error;
  });
}

function isClosedPipe(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EPIPE';
}

/** Renders rows as an aligned table with a header. */
export function renderTable(out: Output, head: string[], rows: string[][]): string {
  const table = new Table({
    head: head.map((h) => (out.color ? pc.bold(h) : h)),
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '',
    },
  });
  table.push(...rows);
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

const STATUS_COLOURS: Record<string, (s: string) => string> = {
  up: pc.green,
  degraded: pc.yellow,
  down: pc.red,
  regional: pc.yellow,
  unknown: pc.magenta,
  flapping: pc.yellow,
  fail: pc.red,
  ok: pc.green,
  'no answer': pc.dim,
  error: pc.magenta,
  pending: pc.dim,
  paused: pc.dim,
  open: pc.red,
  resolved: pc.green,
  retracted: pc.dim,
  sent: pc.green,
  failed: pc.red,
  suppressed: pc.dim,
  retrying: pc.yellow,
  online: pc.green,
  grace: pc.yellow,
  missing: pc.red,
};

/** A status word, coloured on a TTY; "regional: eu-west" takes the colour of its first word. */
export function statusText(out: Output, status: string): string {
  const colour = STATUS_COLOURS[status] ?? STATUS_COLOURS[status.split(/[:(]/)[0]?.trim() ?? ''];
  return out.color && colour ? colour(status) : status;
}

/** "12s ago" / "3h ago" for an epoch-ms time, "-" for none. */
export function ago(at: number | null | undefined, now = Date.now()): string {
  if (at === null || at === undefined) return '-';
  const diff = now - at;
  return diff < 1000 ? 'just now' : `${formatDuration(diff)} ago`;
}

/** An epoch-ms time as an ISO string (seconds precision), "-" for none. */
export function isoTime(at: number | null | undefined): string {
  return at === null || at === undefined
    ? '-'
    : new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A ratio as a percentage with three decimals ("99.950%"), "-" for none. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined
    ? '-'
    : `${(value * 100).toFixed(3).replace(/\.?0+$/, '')}%`;
}

/** Latency in ms, "-" for none. */
export function latency(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : `${Math.round(ms)} ms`;
}

/**
 * Prints an operation result's `warnings` (an edit or delete of an object a config file manages)
 * on stderr, one `warning: …` line each; the command still succeeds (exit 0).
 */
export function printWarnings(out: Output, result: unknown): void {
  if (typeof result !== 'object' || result === null || !('warnings' in result)) return;
  const { warnings } = result;
  if (!Array.isArray(warnings)) return;
  for (const warning of warnings) out.error(`warning: ${String(warning)}`);
}
