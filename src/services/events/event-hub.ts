import type { Clock } from '../../lib/clock.ts';
import { Fifo } from './fifo.ts';
import type { CrosscheckEvent, EventFilter, EventSink, StampedEvent } from './event-types.ts';
import { matchesFilter } from './event-types.ts';

/** History kept for resuming, by age: at least the 10 minutes clients are promised. */
export const DEFAULT_HISTORY_MS = 15 * 60_000;
/**
 * History kept by count, a memory cap (a result event measured ~800 bytes with its strings:
 * ~80 MB at the cap). Whichever bound is reached first wins: under a burst faster than 100k
 * events per 15 minutes the count cap evicts first and the history is shorter than its age
 * bound, because an unbounded buffer would put the whole daemon at risk for the sake of late
 * readers. A client resuming from an evicted id gets a `reset` and reloads: slower, not wrong.
 */
export const DEFAULT_HISTORY_EVENTS = 100_000;
/** Events queued for one subscriber before it counts as too slow and is closed. */
export const DEFAULT_SUBSCRIBER_QUEUE = 10_000;

export interface EventHubOptions {
  clock: Pick<Clock, 'now'>;
  /**
   * Names this daemon run inside every event id, so an id from a previous run (whose history is
   * gone) is recognised instead of being mistaken for a position in this run's history.
   */
  epoch: string;
  historyMs?: number;
  historyEvents?: number;
  subscriberQueue?: number;
}

/** What a subscriber sends next: an event, or a control frame. */
export type StreamItem =
  | { kind: 'event'; event: StampedEvent }
  /** The resume point is unknown or too old: reload state; `id` is where this stream resumes. */
  | { kind: 'reset'; reason: 'unknown-id' | 'expired'; id: string }
  /** Too slow: the stream ends here; reconnect with the last event id received. */
  | { kind: 'overflow' };

export type HistoryAnswer =
  { kind: 'events'; events: StampedEvent[] } | { kind: 'reset'; reason: 'unknown-id' | 'expired' };

export interface Subscription {
  /** Removes and returns up to `max` items to send, oldest first. */
  take(max: number): StreamItem[];
  /** True once the hub closed it (overflow): send what `take` returns, then end the stream. */
  readonly ended: boolean;
  /** The client went away: the hub forgets it. */
  close(): void;
}

export interface SubscribeOptions {
  filter: EventFilter;
  /** Resume after this event (the SSE `Last-Event-ID`); absent: live events only. */
  lastEventId?: string;
  /** Items are waiting; called synchronously from `publish`, so it must only schedule work. */
  onReady: () => void;
}

export interface EventHub extends EventSink {
  /** The matching events after `lastId`, or why they cannot be known. */
  since(lastId: string, filter?: EventFilter): HistoryAnswer;
  subscribe(options: SubscribeOptions): Subscription;
  /** The id of the newest event (`<epoch>-0` before the first). */
  headId(): string;
  stats(): { buffered: number; subscribers: number; published: number; overflows: number };
}

interface Subscriber {
  filter: EventFilter;
  /** History to replay first, a snapshot taken at subscribe time. */
  backlog: Fifo<StreamItem>;
  /** Live items, bounded by `subscriberQueue`. */
  queue: Fifo<StreamItem>;
  ended: boolean;
  onReady: () => void;
}

/**
 * The in-memory event hub: stamps each published event with an id (`<epoch>-<seq>`), keeps a
 * bounded history for resuming, and fans events out to subscribers. Publishing never waits on a
 * subscriber: each has a bounded queue, and one that falls behind is closed with `overflow`.
 */
export function createEventHub(options: EventHubOptions): EventHub {
  const { clock, epoch } = options;
  const historyMs = options.historyMs ?? DEFAULT_HISTORY_MS;
  const historyEvents = Math.max(1, options.historyEvents ?? DEFAULT_HISTORY_EVENTS);
  const subscriberQueue = Math.max(1, options.subscriberQueue ?? DEFAULT_SUBSCRIBER_QUEUE);
  const history = new Fifo<StampedEvent>();
  const subscribers = new Set<Subscriber>();
  /** Sequence number of the next event; ids start at 1 so `<epoch>-0` means "before any". */
  let nextSeq = 1;
  let overflows = 0;

  const idOf = (seq: number) => `${epoch}-${seq}`;
  const firstSeq = () => nextSeq - history.size;

  function evict(now: number): void {
    while (history.size > historyEvents) history.shift();
    for (;;) {
      const oldest = history.at(0);
      if (oldest === undefined || oldest.publishedAt >= now - historyMs) break;
      history.shift();
    }
  }

  /** The sequence number of an id from this run, or undefined for anything else. */
  function seqOf(id: string): number | undefined {
    const dash = id.lastIndexOf('-');
    if (dash <= 0 || id.slice(0, dash) !== epoch) return undefined;
    const digits = id.slice(dash + 1);
    if (!/^\d{1,15}$/.test(digits)) return undefined;
    const seq = Number(digits);
    return seq < nextSeq ? seq : undefined;
  }

  function since(lastId: string, filter: EventFilter = {}): HistoryAnswer {
    evict(clock.now());
    const seq = seqOf(lastId);
    if (seq === undefined) return { kind: 'reset', reason: 'unknown-id' };
    if (seq < firstSeq() - 1) return { kind: 'reset', reason: 'expired' };
    const events = history.from(seq + 1 - firstSeq()).filter((e) => matchesFilter(e.data, filter));
    return { kind: 'events', events };
  }

  function deliver(subscriber: Subscriber, event: StampedEvent): boolean {
    if (subscriber.ended || !matchesFilter(event.data, subscriber.filter)) return false;
    if (subscriber.queue.size >= subscriberQueue) {
      // Dropping what it has not read is safe: it resumes from the last event it received.
      overflows++;
      subscriber.ended = true;
      subscriber.backlog.clear();
      subscriber.queue.clear();
      subscriber.queue.push({ kind: 'overflow' });
      subscribers.delete(subscriber);
      return true;
    }
    subscriber.queue.push({ kind: 'event', event });
    return true;
  }

  return {
    publish(events) {
      if (events.length === 0) return;
      const now = clock.now();
      const stamped = events.map((data: CrosscheckEvent): StampedEvent => ({
        id: idOf(nextSeq++),
        publishedAt: now,
        data,
      }));
      for (const event of stamped) history.push(event);
      evict(now);
      for (const subscriber of [...subscribers]) {
        let woke = false;
        for (const event of stamped) woke = deliver(subscriber, event) || woke;
        if (woke) subscriber.onReady();
      }
    },
    since,
    subscribe({ filter, lastEventId, onReady }) {
      const subscriber: Subscriber = {
        filter,
        backlog: new Fifo(),
        queue: new Fifo(),
        ended: false,
        onReady,
      };
      if (lastEventId !== undefined) {
        const answer = since(lastEventId, filter);
        if (answer.kind === 'reset')
          subscriber.backlog.push({ kind: 'reset', reason: answer.reason, id: idOf(nextSeq - 1) });
        else for (const event of answer.events) subscriber.backlog.push({ kind: 'event', event });
      }
      subscribers.add(subscriber);
      return {
        take(max) {
          const items = subscriber.backlog.take(max);
          return items.length < max
            ? items.concat(subscriber.queue.take(max - items.length))
            : items;
        },
        get ended() {
          return subscriber.ended;
        },
        close() {
          subscriber.ended = true;
          subscriber.backlog.clear();
          subscriber.queue.clear();
          subscribers.delete(subscriber);
        },
      };
    },
    headId: () => idOf(nextSeq - 1),
    stats: () => ({
      buffered: history.size,
      subscribers: subscribers.size,
      published: nextSeq - 1,
      overflows,
    }),
  };
}
