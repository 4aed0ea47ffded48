import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';

/** How the test server answers each datagram. */
export interface UdpServerOptions {
  /** Interface to bind; `127.0.0.1` unless told (`::1` for IPv6 tests). */
  host?: string;
  /**
   * `echo` sends each datagram back; `silent` reads and never answers; a function answers
   * with the datagrams it returns (several in order, none for an empty list).
   */
  reply: 'echo' | 'silent' | ((received: Buffer) => (string | Buffer)[]);
}

/** A running UDP test server; `target` is ready to use as a udp check target. */
export interface TestUdpServer {
  port: number;
  target: string;
  /** Datagrams received so far. */
  received(): Buffer[];
  close(): Promise<void>;
}

/** Starts a UDP server on an ephemeral loopback port. */
export async function startUdpServer(options: UdpServerOptions): Promise<TestUdpServer> {
  const host = options.host ?? '127.0.0.1';
  const socket: Socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const received: Buffer[] = [];
  socket.on('message', (message, from) => {
    received.push(message);
    const { reply } = options;
    if (reply === 'silent') return;
    const answers = reply === 'echo' ? [message] : reply(message);
    for (const answer of answers) socket.send(answer, from.port, from.address);
  });
  const port = await new Promise<number>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => resolve(socket.address().port));
  });
  return {
    port,
    target: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    received: () => [...received],
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A loopback UDP port that was free a moment ago: a datagram to it draws port unreachable. */
export async function closedUdpPort(host = '127.0.0.1'): Promise<number> {
  const server = await startUdpServer({ host, reply: 'silent' });
  await server.close();
  return server.port;
}

/** How many UDP sockets this process holds open (a finished check must leave none behind). */
export function openUdpHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'UDPWrap').length;
}

/**
 * The open UDP socket count once closes in flight have finished: a closed socket leaves the
 * list in the event loop's close phase, a turn after `close()` reports. Waits a bounded number
 * of turns for `expected`, then returns what is open, so a socket never closed still shows.
 */
export async function settledUdpHandles(expected: number): Promise<number> {
  for (let turn = 0; turn < 20 && openUdpHandles() !== expected; turn++)
    await new Promise((resolve) => setImmediate(resolve));
  return openUdpHandles();
}
