import { isIP } from 'node:net';

/** How `ping` is invoked so it finishes inside the check's timeout. */
export interface PingPlan {
  args: string[];
  /** Gap between echo requests. */
  intervalMs: number;
  /** How long ping waits for the last reply (`-W`). */
  replyWaitMs: number;
}

/** Time left for starting and reaping the process and for ping's own bookkeeping. */
const PROCESS_MARGIN_MS = 250;
const DEFAULT_INTERVAL_MS = 200;
const MIN_INTERVAL_MS = 10;
const MIN_REPLY_WAIT_MS = 100;
const MAX_REPLY_WAIT_MS = 10_000;

/**
 * Chooses the interval and reply wait so that `count` requests and the last wait fit in the
 * timeout: 200 ms apart normally, closer together when the timeout is short.
 */
export function planPing(host: string, count: number, timeoutMs: number): PingPlan {
  const intervalMs = clamp(
    Math.floor(timeoutMs / (2 * count)),
    MIN_INTERVAL_MS,
    DEFAULT_INTERVAL_MS,
  );
  const sendingMs = (count - 1) * intervalMs;
  const replyWaitMs = clamp(
    timeoutMs - sendingMs - PROCESS_MARGIN_MS,
    MIN_REPLY_WAIT_MS,
    MAX_REPLY_WAIT_MS,
  );
  const family = isIP(host) === 4 ? ['-4'] : isIP(host) === 6 ? ['-6'] : [];
  const args = [
    '-n',
    '-c',
    String(count),
    '-i',
    seconds(intervalMs),
    '-W',
    seconds(replyWaitMs),
    ...family,
    host,
  ];
  return { args, intervalMs, replyWaitMs };
}

function seconds(ms: number): string {
  return String(ms / 1000);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
