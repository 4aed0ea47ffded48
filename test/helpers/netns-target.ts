// Runs INSIDE a lab namespace (started by startTargetServers in netns.ts): real HTTP, TCP and DNS
// servers bound to the namespace's address, announced as one JSON line on stdout. It stops on
// SIGTERM/SIGINT, when its parent goes away (so a crashed test leaves no server behind), and
// after a maximum lifetime as a last bound.
//
//   node test/helpers/netns-target.ts --address 10.231.1.14 [--name target] [--http-port 8080]
//     [--max-lifetime-ms 600000]
// --http-port binds HTTP to a fixed port (0, the default, picks one), so a test can stop the
// target and start it again behind the same monitor URL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { startDnsServer } from './dns-server.ts';
import { startTcpServer } from './tcp-server.ts';

/** What the target prints once all servers listen (the one line on stdout). */
export interface TargetAnnouncement {
  address: string;
  httpPort: number;
  tcpPort: number;
  dnsPort: number;
  /** The name the DNS server answers with an A record of `address`. */
  dnsName: string;
}

/** The DNS name the target serves; its A record is the target's own address. */
export const TARGET_DNS_NAME = 'target.lab.test';
/** The banner the TCP server sends on connect (a tcp check can `--expect` it). */
export const TARGET_TCP_BANNER = 'crosscheck-lab-target';

const PARENT_POLL_MS = 1000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      address: { type: 'string' },
      name: { type: 'string', default: 'target' },
      'http-port': { type: 'string', default: '0' },
      'max-lifetime-ms': { type: 'string', default: '600000' },
    },
  });
  const address = values.address;
  if (!address) throw new Error('--address is required');
  const maxLifetimeMs = Number(values['max-lifetime-ms']);
  const wantedHttpPort = Number(values['http-port']);
  if (!Number.isInteger(wantedHttpPort) || wantedHttpPort < 0 || wantedHttpPort > 65_535)
    throw new Error('--http-port must be a port number (0 picks one)');

  const http = createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`hello from ${values.name} (${req.method ?? 'GET'} ${req.url ?? '/'})\n`);
  });
  const httpPort = await new Promise<number>((resolve, reject) => {
    http.once('error', reject);
    http.listen(wantedHttpPort, address, () => resolve((http.address() as AddressInfo).port));
  });
  const tcp = await startTcpServer({ host: address, banner: `${TARGET_TCP_BANNER}\r\n` });
  const dns = await startDnsServer(
    { records: [{ name: TARGET_DNS_NAME, type: 'A', ttl: 60, data: address }] },
    address,
  );

  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(parentWatch);
    clearTimeout(lifetime);
    http.closeAllConnections();
    void Promise.allSettled([
      new Promise<void>((resolve) => http.close(() => resolve())),
      tcp.close(),
      dns.close(),
    ]).then(() => process.exit(code));
  };
  // Reparenting means the process that started us died without cleaning up.
  const parent = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid !== parent) stop(0);
  }, PARENT_POLL_MS);
  const lifetime = setTimeout(() => stop(0), maxLifetimeMs);
  process.once('SIGTERM', () => stop(0));
  process.once('SIGINT', () => stop(0));

  const announcement: TargetAnnouncement = {
    address,
    httpPort,
    tcpPort: tcp.port,
    dnsPort: dns.port,
    dnsName: TARGET_DNS_NAME,
  };
  process.stdout.write(`${JSON.stringify(announcement)}\n`);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `netns-target: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
