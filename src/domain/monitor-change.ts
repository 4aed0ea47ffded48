import type { Monitor } from './monitor.ts';

/**
 * A change to the monitor set that the running node must apply at once. A domain type because
 * both the services that publish it and the cluster parts that relay it to agents speak it.
 */
export type MonitorChange =
  { type: 'upserted'; monitor: Monitor } | { type: 'removed'; id: string };

/** Where services announce committed changes; the node's engine listens. */
export interface MonitorChangeSink {
  publish(change: MonitorChange): void;
  /** Many committed changes at once (a bulk write), delivered in order, maybe over a few turns. */
  publishAll(changes: readonly MonitorChange[]): void;
}
