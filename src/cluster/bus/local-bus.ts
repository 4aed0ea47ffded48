import type { BusStats, ClusterBus } from './types.ts';

/**
 * The bus of a coordinator alone on its database (SQLite): there is nobody to tell, and a bus
 * never delivers a coordinator its own messages, so it delivers nothing. It exists so the node
 * is wired the same way on both backends.
 */
export function createLocalBus(): ClusterBus {
  const stats: BusStats = { listening: true, sent: 0, received: 0, dropped: 0, reconnects: 0 };
  return {
    publish() {
      stats.sent += 1;
    },
    subscribe() {
      return () => undefined;
    },
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    stats: () => ({ ...stats }),
  };
}
