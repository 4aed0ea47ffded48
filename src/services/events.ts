import type { Monitor } from '../domain/monitor.ts';

/** A change to the monitor set that the running node must apply at once. */
export type MonitorChange =
  { type: 'upserted'; monitor: Monitor } | { type: 'removed'; id: string };

/** Where services announce committed changes; the node's engine listens. */
export interface MonitorChangeSink {
  publish(change: MonitorChange): void;
}

/** A sink that fans out to subscribers; subscribers must not throw. */
export function createMonitorChangeBus(): MonitorChangeSink & {
  subscribe(listener: (change: MonitorChange) => void): () => void;
} {
  const listeners = new Set<(change: MonitorChange) => void>();
  return {
    publish(change) {
      for (const listener of listeners) listener(change);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
