import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls for at most this many rounds: a socket closes a few event-loop turns after destroy. */
const ROUNDS = 100;
const ROUND_MS = 20;

/** TCP sockets open in this process now (client and in-process server ends alike). */
export function openTcpSockets(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;
}

/**
 * Waits (bounded) until `count()` reaches `expected`, then asserts it: a leak fails with the
 * last count, never by hanging.
 */
export async function settlesTo(
  count: () => number | Promise<number>,
  expected: number,
  what: string,
): Promise<void> {
  let last = await count();
  for (let round = 0; round < ROUNDS && last !== expected; round++) {
    await sleep(ROUND_MS);
    last = await count();
  }
  assert.equal(last, expected, `${what}: ${last} still open, expected ${expected}`);
}

/**
 * Processes descended from this one (children, their children…), read from /proc: a browser
 * check must leave none behind. Linux only, like the rest of the test suite's process checks.
 */
export function descendantProcesses(root = process.pid): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: the ppid is after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while the table was being read.
    }
  }
  const found: number[] = [];
  let frontier = [root];
  for (let depth = 0; depth < 20 && frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const [pid, ppid] of parents) if (frontier.includes(ppid)) next.push(pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}
