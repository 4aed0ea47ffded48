import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { PemPair } from './certs.ts';

/** How the test server treats each upgrade request. */
export interface WebsocketServerOptions {
  /** Serve wss:// with this certificate; ws:// without. */
  tls?: PemPair;
  /** Answer every upgrade request with this HTTP status instead of upgrading. */
  refuseStatus?: number;
  /** Subprotocols the server accepts (the first one the client offers wins). */
  protocols?: readonly string[];
  /** What the server does with each accepted WebSocket; nothing (silent) unless told. */
  onSocket?: (socket: WebSocket, request: IncomingMessage) => void;
}

/** A running WebSocket test server on 127.0.0.1, port 0. */
export interface TestWebsocketServer {
  port: number;
  /** `ws://127.0.0.1:PORT` or `wss://127.0.0.1:PORT` (no trailing slash). */
  origin: string;
  /** TCP connections open now, upgraded or not. */
  openConnections(): number;
  /** The headers of every upgrade request received. */
  requests(): IncomingMessage['headers'][];
  /** Close codes of the WebSockets that have closed, as the server saw them. */
  closeCodes(): number[];
  /**
   * Waits (bounded) until no connection is open and returns how many still are: a client
   * that closed its socket is seen by the server a few event-loop turns later.
   */
  drained(): Promise<number>;
  close(): Promise<void>;
}

/** Echoes every message back (text as text, binary as binary). */
export function echo(socket: WebSocket): void {
  socket.on('message', (data, binary) => socket.send(data, { binary }));
}

/** Starts a WebSocket server over a fresh HTTP(S) server that tracks its connections. */
export async function startWebsocketServer(
  options: WebsocketServerOptions = {},
): Promise<TestWebsocketServer> {
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem })
    : createHttpServer();
  const sockets = new Set<Socket>();
  const requests: IncomingMessage['headers'][] = [];
  const closeCodes: number[] = [];
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Clients that give up mid-handshake (untrusted certificates) are what some tests do.
  server.on('tlsClientError', () => undefined);
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => options.protocols?.find((p) => offered.has(p)) ?? false,
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    requests.push(request.headers);
    socket.on('error', () => socket.destroy());
    if (options.refuseStatus !== undefined) {
      socket.end(
        `HTTP/1.1 ${options.refuseStatus} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      ws.on('close', (code) => closeCodes.push(code));
      options.onSocket?.(ws, request);
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    port,
    origin: `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}`,
    openConnections: () => sockets.size,
    requests: () => [...requests],
    closeCodes: () => [...closeCodes],
    drained: async () => {
      for (let turn = 0; turn < 200 && sockets.size > 0; turn++) await sleep(10);
      return sockets.size;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
