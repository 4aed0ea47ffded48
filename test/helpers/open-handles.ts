import assert from 'node:assert/strict';
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
