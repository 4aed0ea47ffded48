import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  receivedAt: number;
}

type Plan =
  | { kind: 'respond'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'hang' };

/** A real HTTP receiver on 127.0.0.1, port 0, that records every request and answers as told. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hook`. */
  readonly url: string;
  readonly port: number;
  readonly requests: readonly ReceivedRequest[];
  /** The next `count` requests get `status` (default 500) instead of 200. */
  failNext(count: number, status?: number): void;
  /** The next `count` requests get this answer (e.g. a redirect with a Location header). */
  respondNext(
    count: number,
    status: number,
    options?: { headers?: Record<string, string>; body?: string },
  ): void;
  /** The next `count` requests are read but never answered (until `close()`). */
  hangNext(count: number): void;
  /** Resolves once `count` requests arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<readonly ReceivedRequest[]>;
  /** True when the request carries a valid Crosscheck signature for `secret`. */
  verifySignature(request: ReceivedRequest, secret: string): boolean;
  close(): Promise<void>;
}

/** Options of startWebhookReceiver. */
export interface WebhookReceiverOptions {
  /** Called with every request as soon as it is recorded (e.g. to stream it to a parent). */
  onRequest?: (request: ReceivedRequest) => void;
  /** Address to listen on (default 127.0.0.1), e.g. a lab namespace's own address. */
  host?: string;
}

/** Starts a receiver; close it in `after`/`finally`. */
export async function startWebhookReceiver(
  options: WebhookReceiverOptions = {},
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const plans: Plan[] = [];
  const hanging: ServerResponse[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        json: parseJson(rawBody),
        receivedAt: Date.now(),
      };
      requests.push(received);
      options.onRequest?.(received);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve();
      answer(res, plans.shift());
    });
  });

  function answer(res: ServerResponse, plan: Plan | undefined): void {
    if (plan?.kind === 'hang') {
      hanging.push(res);
      return;
    }
    const { status, headers, body } = plan ?? { status: 200, headers: {}, body: 'ok' };
    res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;

  const receiver: WebhookReceiver = {
    url: `http://${host}:${port}/hook`,
    port,
    requests,
    failNext(count, status = 500) {
      receiver.respondNext(count, status, { body: `planned failure ${status}` });
    },
    respondNext(count, status, options = {}) {
      for (let i = 0; i < count; i++) {
        plans.push({
          kind: 'respond',
          status,
          headers: options.headers ?? {},
          body: options.body ?? '',
        });
      }
    },
    hangNext(count) {
      for (let i = 0; i < count; i++) plans.push({ kind: 'hang' });
    },
    waitForRequests(count, timeoutMs = 5000) {
      if (requests.length >= count) return Promise.resolve(requests);
      return new Promise((resolve, reject) => {
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(waiter), 1);
            resolve(requests);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`expected ${count} requests, got ${requests.length}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    verifySignature(request, secret) {
      return verifyCrosscheckSignature(request.headers, request.rawBody, secret);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
  return receiver;
}

/**
 * Checks a request the way a receiver should (written from docs/alerts/webhook.md, separately
 * from the sender, so a mismatch between the two shows up): HMAC-SHA256 over
 * `<timestamp>.<raw body>`, compared in constant time, timestamp within five minutes.
 */
export function verifyCrosscheckSignature(
  headers: IncomingHttpHeaders,
  rawBody: string,
  secret: string,
  nowMs = Date.now(),
): boolean {
  const timestamp = headers['x-crosscheck-timestamp'];
  const signature = headers['x-crosscheck-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > 300) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
