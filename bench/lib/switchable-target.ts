/**
 * An HTTP target on 127.0.0.1 that the bench takes down and brings back on the same port, for
 * outage scenarios. Two ways down: `refuse` closes the listening socket and cuts open
 * connections, so a check gets "connection refused" at once, as when a service process dies;
 * `hang` keeps accepting but never answers, so every check runs into its timeout, as with an
 * overloaded service or a silently dropping path. It runs inside the scenario's process: it
 * answers a few checks per second, far too little to matter, and the stop time is then taken
 * right where the outage starts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the target is down: refusing connections, or accepting and never answering. */
export type OutageMode = 'refuse' | 'hang';

/** A target that can be switched off and on. */
export interface SwitchableTarget {
  /** `http://127.0.0.1:<port>/` (the port stays the same across stop/start). */
  readonly url: string;
  /** Starts an outage (see `OutageMode`); returns the epoch ms it started. */
  stop(mode: OutageMode): number;
  /** Ends the outage (listens again on the same port, answers again); resolves the epoch ms. */
  start(): Promise<number>;
  /** Requests answered so far. */
  requests(): number;
  close(): Promise<void>;
}

/** Starts a `200 ok` server on a free loopback port. */
export async function startSwitchableTarget(): Promise<SwitchableTarget> {
  let requests = 0;
  let hanging = false;
  const server = http.createServer((req, res) => {
    requests++;
    req.resume();
    // Left unanswered: the check's own timeout ends it.
    if (hanging) return;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 3 }).end('ok\n');
  });
  // A check's connection is never reused after a stop: keep-alive sockets are cut with it.
  server.keepAliveTimeout = 1_000;
  server.on('clientError', (_error, socket) => socket.destroy());
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port }, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);
  return {
    url: `http://127.0.0.1:${port}/`,
    stop(mode) {
      if (mode === 'hang') {
        hanging = true;
        // An idle keep-alive connection would still be answered by nothing; cut them anyway
        // so every check after the stop opens a fresh connection to a silent server.
        server.closeIdleConnections();
        return Date.now();
      }
      // close() releases the listening handle synchronously; its callback only waits for
      // connections, which closeAllConnections() ends right away.
      server.close();
      server.closeAllConnections();
      return Date.now();
    },
    async start() {
      if (hanging) {
        // Requests still held open are left to their checks' timeouts, as a real recovery
        // would not answer them either.
        hanging = false;
        return Date.now();
      }
      await listen(port);
      return Date.now();
    },
    requests: () => requests,
    async close() {
      if (!server.listening) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
