/**
 * The loopback target the benchmarks check, run as its own process so that its CPU is not
 * charged to the process under test:
 *
 *   node bench/lib/target-server.ts [--ports 4] [--max-lifetime-ms 3600000]
 *
 * Listens on 127.0.0.1 only: `--ports` HTTP servers answering `200 ok` to any request, and as
 * many TCP servers that accept and let the client close. Several ports, because every check
 * opens a fresh connection and a (client, server) address pair has a limited number of source
 * ports; spreading over ports keeps thousands of checks per second from running out of them.
 * Prints one JSON line `{"http":[ports],"tcp":[ports]}` once listening. Exits on SIGTERM, when
 * the bench that started it is gone, or after the maximum lifetime.
 */
import http from 'node:http';
import net from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    ports: { type: 'string', default: '4' },
    'max-lifetime-ms': { type: 'string', default: '3600000' },
  },
});
const portCount = Math.min(32, Math.max(1, Number(values.ports)));
const parentPid = process.ppid;
let requests = 0;
let connections = 0;

const body = Buffer.from('ok\n');
const httpServers = Array.from({ length: portCount }, () =>
  http.createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  }),
);
const tcpServers = Array.from({ length: portCount }, () =>
  net.createServer((socket) => {
    connections++;
    // The check only connects and closes; a reset from its side is not an error here.
    socket.on('error', () => {});
    socket.resume();
  }),
);
for (const server of httpServers) {
  server.keepAliveTimeout = 1_000;
  server.on('clientError', (_error, socket) => socket.destroy());
}

const listening = [...httpServers, ...tcpServers].map(
  (server) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    }),
);
const ports = await Promise.all(listening);
process.stdout.write(
  `${JSON.stringify({ http: ports.slice(0, portCount), tcp: ports.slice(portCount) })}\n`,
);

function shutdown(): void {
  process.stderr.write(`target-server: ${requests} requests, ${connections} tcp connections\n`);
  for (const server of [...httpServers, ...tcpServers]) server.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
setTimeout(shutdown, Number(values['max-lifetime-ms'])).unref();
setInterval(() => {
  try {
    process.kill(parentPid, 0);
  } catch {
    shutdown();
  }
}, 2_000).unref();
