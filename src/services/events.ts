import type { MonitorChange, MonitorChangeSink } from '../domain/monitor-change.ts';

export type { MonitorChange, MonitorChangeSink } from '../domain/monitor-change.ts';

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
