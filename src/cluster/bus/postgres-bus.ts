import type { Logger } from '../../observability/logger.ts';
import type { PostgresTarget } from '../../store/postgres/connection.ts';
import { batchBodyEmpty, mergeBatchBodies } from './coalesce.ts';
import type { BusConnection } from './listen-connection.ts';
import { busUnavailable, openBusConnection } from './listen-connection.ts';
import type { BatchCommittedBody, BusBody, BusMessage } from './messages.ts';
import { BUS_VERSION, busBodySchema, parseBusPayload } from './messages.ts';
import { MAX_PAYLOAD_BYTES, toPayloads } from './split.ts';
import type { BusStats, ClusterBus } from './types.ts';

/** The channel every coordinator of one database listens on. */
export const BUS_CHANNEL = 'crosscheck_bus';

export interface PostgresBusOptions {
  target: PostgresTarget;
  /** This coordinator: the origin of what it sends, and whose messages it never hears. */
  nodeId: string;
  logger: Logger;
  channel?: string;
  /** Committed batches announced together: at most one notification set per window. */
  coalesceMs?: number;
  /** Reconnect delays double from `firstMs` up to `maxMs`. */
  backoff?: { firstMs: number; maxMs: number };
  /** How often the listening session is probed: a dead one is noticed within about this. */
  heartbeatMs?: number;
  /** Largest payload sent (tests shrink it); PostgreSQL refuses 8000 bytes and more. */
  maxPayloadBytes?: number;
}

/** Payloads kept while the session is down; beyond it they are dropped and a resync sent. */
const OUTBOX_LIMIT = 2_000;

/**
 * The bus over PostgreSQL LISTEN/NOTIFY: one dedicated session per coordinator listens, and
 * sends its notifications in order (`pg_notify`). A lost session is reopened with backoff; the
 * coordinator then hears a `resync`, since notifications sent meanwhile are gone. What it
 * could not send meanwhile waits (bounded); what it lost, it makes up for with a `resync` to
 * the others.
 */
export function createPostgresBus(options: PostgresBusOptions): ClusterBus {
  const channel = options.channel ?? BUS_CHANNEL;
  const coalesceMs = options.coalesceMs ?? 250;
  const backoff = options.backoff ?? { firstMs: 250, maxMs: 30_000 };
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const maxBytes = options.maxPayloadBytes ?? MAX_PAYLOAD_BYTES;
  const log = options.logger.child({ component: 'cluster-bus' });
  const listeners = new Set<(message: BusMessage) => void>();
  const stats: BusStats = { listening: false, sent: 0, received: 0, dropped: 0, reconnects: 0 };
  let connection: BusConnection | undefined;
  let stopped = false;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let batches: BatchCommittedBody[] = [];
  let batchTimer: NodeJS.Timeout | undefined;
  let outbox: string[] = [];
  let lostOwn = false;
  let draining: Promise<void> | undefined;

  function deliver(message: BusMessage): void {
    for (const listener of listeners) {
      try {
        listener(message);
      } catch (error) {
        log.error({ err: error, type: message.type }, 'cluster bus: a listener failed');
      }
    }
  }

  function received(payload: string): void {
    const parsed = parseBusPayload(payload);
    if (!parsed.ok) {
      stats.dropped += 1;
      // The problem names fields only; the payload itself is never logged.
      log.warn(
        { problem: parsed.problem, bytes: payload.length },
        'cluster bus: dropped a message',
      );
      return;
    }
    if (parsed.message.origin === options.nodeId) return;
    stats.received += 1;
    deliver(parsed.message);
  }

  function enqueue(body: BusBody): void {
    const checked = busBodySchema.safeParse(body);
    if (!checked.success) {
      stats.dropped += 1;
      const paths = checked.error.issues.slice(0, 3).map((issue) => issue.path.join('.'));
      log.error({ type: body.type, paths }, 'cluster bus: not sending a malformed message');
      return;
    }
    const message: BusMessage = { ...checked.data, v: BUS_VERSION, origin: options.nodeId };
    const { payloads, dropped } = toPayloads(message, maxBytes);
    if (dropped > 0) {
      stats.dropped += dropped;
      lostOwn = true;
      log.warn({ type: body.type, dropped }, 'cluster bus: items too large to send were left out');
    }
    for (const payload of payloads) outbox.push(payload);
    if (outbox.length > OUTBOX_LIMIT) {
      stats.dropped += outbox.length;
      log.warn({ dropped: outbox.length }, 'cluster bus: too much waiting to send; others resync');
      outbox = [];
      lostOwn = true;
    }
    void drain();
  }

  function flushBatches(): void {
    if (batchTimer !== undefined) clearTimeout(batchTimer);
    batchTimer = undefined;
    if (batches.length === 0) return;
    const merged = mergeBatchBodies(batches);
    batches = [];
    enqueue(merged);
  }

  /** Sends what waits, in order, one at a time (the order is the session's). */
  function drain(): Promise<void> {
    draining ??= (async () => {
      while (connection !== undefined) {
        if (lostOwn) {
          lostOwn = false;
          const resync = { type: 'resync', reason: 'lost-messages', v: BUS_VERSION };
          outbox.unshift(JSON.stringify({ ...resync, origin: options.nodeId }));
        }
        const payload = outbox.shift();
        if (payload === undefined) break;
        try {
          await connection.client.query('select pg_notify($1, $2)', [channel, payload]);
          stats.sent += 1;
        } catch (error) {
          // Whether it went out is unknown: the others reload rather than miss it.
          stats.dropped += 1;
          lostOwn = true;
          log.warn({ err: error }, 'cluster bus: a notification may not have gone out');
          break;
        }
      }
    })().finally(() => {
      draining = undefined;
    });
    return draining;
  }

  async function connect(): Promise<void> {
    // Set once open: a session that ends while it opens fails the open instead.
    const session: { opened?: BusConnection } = {};
    const opened = await openBusConnection(options.target, options.nodeId, channel, {
      onNotification: received,
      onEnd: (error) => {
        if (session.opened !== undefined) lost(session.opened, error);
      },
    });
    session.opened = opened;
    if (stopped) {
      await opened.close();
      return;
    }
    connection = opened;
    stats.listening = true;
  }

  function lost(which: BusConnection, error: Error | null): void {
    if (stopped || which !== connection) return;
    connection = undefined;
    stats.listening = false;
    log.warn({ err: error }, 'cluster bus: the listening session was lost; reconnecting');
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (stopped || reconnectTimer !== undefined) return;
    const delay = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(attempt, 20));
    attempt += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect().then(
        () => {
          if (stopped) return;
          attempt = 0;
          stats.reconnects += 1;
          log.info('cluster bus: listening again; reloading what may have been missed');
          deliver({
            type: 'resync',
            reason: 'reconnected',
            v: BUS_VERSION,
            origin: options.nodeId,
          });
          void drain();
        },
        (error: unknown) => {
          log.warn({ err: error, attempt }, 'cluster bus: reconnect failed');
          scheduleReconnect();
        },
      );
    }, delay);
  }

  /** A half-open session hears nothing and says so to nobody: ask it something now and then. */
  function probe(): void {
    const current = connection;
    if (current === undefined) return;
    current.client.query('select 1').catch(async (error: unknown) => {
      if (current !== connection) return;
      await current.close();
      lost(current, error instanceof Error ? error : new Error(String(error)));
    });
  }

  return {
    publish(body) {
      if (stopped) return;
      if (body.type !== 'batch-committed') {
        // What was committed before it goes out before it.
        flushBatches();
        enqueue(body);
        return;
      }
      if (batchBodyEmpty(body)) return;
      batches.push(body);
      batchTimer ??= setTimeout(flushBatches, coalesceMs);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      try {
        await connect();
      } catch (error) {
        throw busUnavailable(error);
      }
      heartbeat = setInterval(probe, heartbeatMs);
      heartbeat.unref();
    },
    async stop() {
      flushBatches();
      await drain();
      stopped = true;
      clearInterval(heartbeat);
      clearTimeout(reconnectTimer);
      const closing = connection;
      connection = undefined;
      stats.listening = false;
      await closing?.close();
    },
    stats: () => ({ ...stats }),
  };
}
