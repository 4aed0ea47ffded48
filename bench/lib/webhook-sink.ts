/**
 * A webhook receiver on 127.0.0.1 that records when each alert arrived (epoch ms, taken when
 * the body is complete) and lets the bench wait, bounded, for the first one matching a test.
 * It runs inside the scenario's process; it answers 200 at once so the sender never retries.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it arrived. */
export interface ReceivedAlert {
  receivedAt: number;
  /** The parsed JSON body; undefined when it was not JSON. */
  body: unknown;
}

/** A running receiver. */
export interface WebhookSink {
  /** `http://127.0.0.1:<port>/hook`. */
  readonly url: string;
  readonly received: readonly ReceivedAlert[];
  /** The first alert (already received or still to come) that `match` accepts, or undefined after `timeoutMs`. */
  waitFor(
    match: (alert: ReceivedAlert) => boolean,
    timeoutMs: number,
  ): Promise<ReceivedAlert | undefined>;
  close(): Promise<void>;
}

/** Starts the receiver on a free loopback port. */
export async function startWebhookSink(): Promise<WebhookSink> {
  const received: ReceivedAlert[] = [];
  const arrivals = new EventEmitter();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const alert = { receivedAt: Date.now(), body: parseJson(Buffer.concat(chunks)) };
      received.push(alert);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      arrivals.emit('alert', alert);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    waitFor(match, timeoutMs) {
      const already = received.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve) => {
        const onAlert = (alert: ReceivedAlert): void => {
          if (!match(alert)) return;
          finish(alert);
        };
        const timer = setTimeout(() => finish(undefined), timeoutMs);
        const finish = (alert: ReceivedAlert | undefined): void => {
          clearTimeout(timer);
          arrivals.off('alert', onAlert);
          resolve(alert);
        };
        arrivals.on('alert', onAlert);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    // Not an alert body; kept as undefined so no matcher accepts it.
    return undefined;
  }
}
