import type { BusBody, BusMessage } from './messages.ts';

/** What a bus has done since it started: for health output and tests. */
export interface BusStats {
  /** Whether notifications reach this coordinator now. */
  listening: boolean;
  sent: number;
  received: number;
  /** Payloads that failed to parse, and items or messages this side could not send. */
  dropped: number;
  /** Times the listening connection came back (each delivered a `resync`). */
  reconnects: number;
}

/**
 * Live state between coordinators sharing one database (issue #17). Every message carries its
 * origin, and a bus never delivers a coordinator its own messages. Delivery is at most once:
 * a receiver that may have missed some gets a `resync` and reloads.
 */
export interface ClusterBus {
  /** Sends to every other coordinator; never throws (a message that cannot go is logged). */
  publish(body: BusBody): void;
  /** Listeners must not throw; one that does is logged and the others still hear. */
  subscribe(listener: (message: BusMessage) => void): () => void;
  start(): Promise<void>;
  /** Sends what is waiting (the coalesced batch too), then closes. */
  stop(): Promise<void>;
  stats(): BusStats;
}
