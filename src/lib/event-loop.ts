/**
 * Lets timers and sockets run between the slices of a long job (a prune, a rollup, a bulk
 * create). better-sqlite3 is synchronous and Kysely resolves its promises as microtasks, so
 * without this a long job would hold the event loop for its whole duration.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
