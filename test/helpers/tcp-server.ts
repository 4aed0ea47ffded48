import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

/** How the test server treats each connection. */
export interface TcpServerOptions {
  /** Interface to bind; `127.0.0.1` unless told (`::1` for IPv6 tests). */
  host?: string;
  /** Sent as soon as a client connects. */
  banner?: string;
  /** Writes every received chunk back to the client. */
  echo?: boolean;
  /** Waits this long after accepting before sending the banner. */
  bannerDelayMs?: number;
  /** Ends the connection right after the banner. */
  closeAfterBanner?: boolean;
}

/** A running test server; `target` is ready to use as a tcp check target. */
export interface TestTcpServer {
  host: string;
  port: number;
  /** `127.0.0.1:PORT` or `[::1]:PORT`. */
  target: string;
  /** Connections accepted so far. */
  connectionCount(): number;
  /** Destroys open connections and stops listening. */
  close(): Promise<void>;
}

/** Starts a TCP server on an ephemeral loopback port. */
export async function startTcpServer(options: TcpServerOptions = {}): Promise<TestTcpServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (options.echo) socket.on('data', (chunk) => socket.write(chunk));
    const greet = (): void => {
      if (socket.destroyed) return;
      if (options.banner !== undefined) socket.write(options.banner);
      if (options.closeAfterBanner) socket.end();
    };
    if (options.bannerDelayMs === undefined) greet();
    else timers.add(setTimeout(greet, options.bannerDelayMs));
  });
  const port = await listen(server, host);
  return {
    host,
    port,
    target: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    connectionCount: () => accepted,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port that was free a moment ago and has nothing listening: connecting is refused. */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  const port = await listen(server, host);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}
