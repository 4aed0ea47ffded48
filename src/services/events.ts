import type { MonitorChange, MonitorChangeSink } from '../domain/monitor-change.ts';
import { yieldToEventLoop } from '../lib/event-loop.ts';

export type { MonitorChange, MonitorChangeSink } from '../domain/monitor-change.ts';

/**
 * Changes delivered between two turns of the event loop while a burst drains: each costs the
 * node ~40 µs (scheduler, overview index, events), so 100,000 at once held the API ~4 s.
 */
const DELIVERY_SLICE = 500;

/**
 * A sink that fans out to subscribers, in publish order; subscribers must not throw. A single
 * change is delivered at once; a burst (`publishAll`) is delivered in slices with turns of the
 * event loop between them, and changes published meanwhile wait behind it, so the order holds.
 */
export function createMonitorChangeBus(): MonitorChangeSink & {
  subscribe(listener: (change: MonitorChange) => void): () => void;
} {
  const listeners = new Set<(change: MonitorChange) => void>();
  let backlog: MonitorChange[] = [];
  let draining = false;

  function deliver(change: MonitorChange): void {
    for (const listener of listeners) listener(change);
  }

  async function drain(): Promise<void> {
    draining = true;
    let next = 0;
    while (next < backlog.length) {
      const end = Math.min(backlog.length, next + DELIVERY_SLICE);
      for (const change of backlog.slice(next, end)) deliver(change);
      next = end;
      if (next < backlog.length) await yieldToEventLoop();
    }
    backlog = [];
    draining = false;
  }

  return {
    publish(change) {
      if (!draining) deliver(change);
      else backlog.push(change);
    },
    publishAll(changes) {
      if (changes.length <= DELIVERY_SLICE && !draining) {
        for (const change of changes) deliver(change);
        return;
      }
      backlog.push(...changes);
      if (!draining) void drain();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
