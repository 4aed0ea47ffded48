import type { ServerResponse } from 'node:http';
import type { StreamItem, Subscription } from '../services/events/event-hub.ts';

/** Items written per turn of the event loop, so one busy stream does not starve the others. */
const ITEMS_PER_WRITE = 256;

/** One Server-Sent Events frame. JSON never holds a raw newline, so `data:` is one line. */
export function sseFrame(item: StreamItem): string {
  switch (item.kind) {
    case 'event': {
      const { id, data } = item.event;
      return `id: ${id}\nevent: ${data.type}\ndata: ${JSON.stringify({ id, ...data })}\n\n`;
    }
    case 'reset':
      // The id moves the client's Last-Event-ID to the head, so its next reconnect resumes.
      return `id: ${item.id}\nevent: reset\ndata: ${JSON.stringify({ reason: item.reason })}\n\n`;
    case 'overflow':
      // No id: the client keeps the last event it received and resumes from there.
      return `event: overflow\ndata: ${JSON.stringify({ reason: 'slow-consumer' })}\n\n`;
  }
}

export interface EventStream {
  /** Items are waiting in the subscription (the hub's `onReady`). */
  wake(): void;
  /** Ends the response (server shutdown); the client reconnects with Last-Event-ID. */
  end(): void;
}

/**
 * Copies a subscription's items to an HTTP response, honouring the socket's backpressure: while
 * the kernel buffer is full nothing more is taken, so a slow client's backlog stays in its
 * bounded queue in the hub (which closes it on overflow) instead of in this process's memory.
 */
export function pipeSubscription(
  response: ServerResponse,
  subscription: () => Subscription,
  options: { heartbeatMs: number; onEnd: () => void },
): EventStream {
  let scheduled = false;
  let waitingForDrain = false;
  let ended = false;

  function finish(): void {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    sub.close();
    if (!response.writableEnded) response.end();
    options.onEnd();
  }

  function wake(): void {
    if (scheduled || waitingForDrain || ended) return;
    scheduled = true;
    setImmediate(pump);
  }

  function pump(): void {
    scheduled = false;
    if (ended) return;
    const items = sub.take(ITEMS_PER_WRITE);
    if (items.length === 0) {
      if (sub.ended) finish();
      return;
    }
    const flushed = response.write(items.map(sseFrame).join(''));
    if (items.some((item) => item.kind === 'overflow')) return finish();
    if (flushed) return wake();
    waitingForDrain = true;
    response.once('drain', () => {
      waitingForDrain = false;
      wake();
    });
  }

  const sub = subscription();
  // A comment line keeps proxies and idle timeouts from closing a quiet stream.
  const heartbeat = setInterval(() => {
    if (!waitingForDrain && !ended) response.write(': keep-alive\n\n');
  }, options.heartbeatMs);
  response.on('close', finish);
  // A resumed stream starts with history (or a reset) already waiting.
  wake();
  return { wake, end: finish };
}
