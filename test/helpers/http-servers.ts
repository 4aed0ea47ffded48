import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Server as TlsServer } from 'node:tls';
import type { PatternEvaluator } from '../../src/checks/pattern-evaluator.ts';
import type { CheckContext } from '../../src/checks/types.ts';
import type { PemPair } from './certs.ts';
import { oneShotPatterns } from '../../src/checks/patterns/pool.ts';

/** A running loopback test server. */
export interface TestServer {
  port: number;
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT` (no trailing slash). */
  origin: string;
  /** Destroys open connections and stops listening. */
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1, port 0. */
export async function startHttpServer(handler: RequestListener): Promise<TestServer> {
  return serve(createHttpServer(handler), 'http');
}

/** Starts an HTTPS server on 127.0.0.1, port 0, presenting the certificate in `pair`. */
export async function startHttpsServer(
  handler: RequestListener,
  pair: PemPair,
): Promise<TestServer> {
  return serve(createHttpsServer({ cert: pair.certPem, key: pair.keyPem }, handler), 'https');
}

/** Starts a bare TLS server on 127.0.0.1, port 0, that completes handshakes and then closes. */
export async function startTlsServer(pair: PemPair): Promise<TestServer> {
  const server = createTlsServer({ cert: pair.certPem, key: pair.keyPem }, (socket) => {
    socket.on('error', () => socket.destroy());
    socket.end();
  });
  return serve(server, 'tls');
}

/**
 * A check context with a deadline; pass a signal to abort from the test, and a pattern pool
 * to share one (each pattern otherwise gets a worker of its own).
 */
export function checkContext(
  timeoutMs = 2000,
  signal = new AbortController().signal,
  patterns: PatternEvaluator = oneShotPatterns,
): CheckContext {
  return { timeoutMs, signal, patterns };
}

/** Reads a request body as text (for handlers that check what the client sent). */
export async function readRequestBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function serve(
  server: HttpServer | TlsServer,
  scheme: 'http' | 'https' | 'tls',
): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  // Clients that hang up mid-handshake are expected in these tests; keep them quiet.
  server.on('tlsClientError', () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    port,
    origin: `${scheme}://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
