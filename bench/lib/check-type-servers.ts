/**
 * How the check-types scenario sets up each check type: a real server on 127.0.0.1 port 0
 * (the test helpers' servers), and the target and options a check of that type is run with.
 * Keyed by `CheckType`, so a type added to the registry without a row here is a type error.
 *
 * These run inside check-type-host.ts, a process of their own, so that the server's CPU is
 * measured apart from the check's (which runs in the scenario's process).
 */
import fs from 'node:fs';
import type { RequestListener } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { CheckType } from '../../src/checks/types.ts';
import { SITE_PASSWORD, SITE_USER, startBrowserSite } from '../../test/helpers/browser-site.ts';
import { chromiumAvailable, CHROMIUM_PATH } from '../../test/helpers/browser.ts';
import { createTestPki } from '../../test/helpers/certs.ts';
import type { TestPki } from '../../test/helpers/certs.ts';
import { startDnsServer } from '../../test/helpers/dns-server.ts';
import { DOVECOT, startDovecot } from '../../test/helpers/dovecot-server.ts';
import { startGrpcHealthServer } from '../../test/helpers/grpc-health-server.ts';
import {
  startHttpServer,
  startHttpsServer,
  startTlsServer,
} from '../../test/helpers/http-servers.ts';
import { startMqttBroker } from '../../test/helpers/mqtt-broker.ts';
import { mariadbBinaries, startMysql } from '../../test/helpers/mysql-server.ts';
import { postgresBinDir, startPostgres } from '../../test/helpers/postgres-server.ts';
import { redisUnavailable, startRedisServer } from '../../test/helpers/redis-server.ts';
import { startSshServer } from '../../test/helpers/ssh-server.ts';
import { startSmtpServer } from '../../test/helpers/smtp-server.ts';
import { startTcpServer } from '../../test/helpers/tcp-server.ts';
import { startUdpServer } from '../../test/helpers/udp-server.ts';
import { startWebsocketServer } from '../../test/helpers/websocket-server.ts';

/** A started server and what to check it with; `close` stops everything `start` started. */
export interface StartedTarget {
  target: string;
  options: Record<string, unknown>;
  /** Server processes that are not descendants of the host (a daemon that detached itself). */
  detachedPids?: number[];
  close(): Promise<void>;
}

/**
 * How many checks one type gets: `micro` (no I/O), `cheap` (a connection or a datagram),
 * `heavy` (a login with key exchange or a database session), `browser` (a Chromium page).
 */
export type CostClass = 'micro' | 'cheap' | 'heavy' | 'browser';

/** One type's setup; `unavailable` says why it cannot run on this machine (then not measured). */
export interface TypeSetup {
  cost: CostClass;
  unavailable?: () => string | undefined;
  start(pki: TestPki): Promise<StartedTarget>;
}

/** The page every HTTP-ish target serves (the bare-loop ceilings get the same server). */
export const HELLO_PAGE = '<html><title>ok</title><body>All Systems Operational</body></html>';

export const helloHandler: RequestListener = (req, res) => {
  if (req.url === '/health')
    return void res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"status":"ok","db":{"up":true}}');
  res.writeHead(200, { 'content-type': 'text/html' }).end(HELLO_PAGE);
};

const MAIL_LOGIN = { username: 'probe', password: 'bench-mail-pw' };
const SSH_LOGIN = { username: 'probe', password: 'bench-ssh-pw' };
const MYSQL_PASSWORD = 'bench-mysql-pw';

async function httpTarget(
  path: string,
  options: Record<string, unknown> = {},
): Promise<StartedTarget> {
  const server = await startHttpServer(helloHandler);
  return { target: `${server.origin}${path}`, options, close: () => server.close() };
}

async function dovecotTarget(pki: TestPki, port: 'imap' | 'pop3'): Promise<StartedTarget> {
  const dovecot = await startDovecot({ cert: pki.valid, login: MAIL_LOGIN });
  return {
    target: `127.0.0.1:${dovecot.ports[port]}`,
    options: { ca: pki.ca.certPem, ...MAIL_LOGIN },
    close: () => dovecot.close(),
  };
}

/** An RDAP registry on loopback and a bootstrap file pointing the `.test` TLD at it. */
async function rdapTarget(): Promise<StartedTarget> {
  const expires = new Date(Date.now() + 400 * 86_400_000).toISOString();
  const server = await startHttpServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    res.writeHead(200, { 'content-type': 'application/rdap+json' }).end(
      JSON.stringify({
        objectClassName: 'domain',
        ldhName: name,
        status: ['active'],
        events: [{ eventAction: 'expiration', eventDate: expires }],
      }),
    );
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-bench-rdap-'));
  const bootstrap = path.join(dir, 'dns.json');
  fs.writeFileSync(
    bootstrap,
    JSON.stringify({ version: '1.0', services: [[['test'], [`${server.origin}/rdap/`]]] }),
  );
  return {
    target: 'far.test',
    options: { rdapBootstrap: bootstrap },
    close: async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const noServer = (target: string, options: Record<string, unknown> = {}): StartedTarget => ({
  target,
  options,
  close: () => Promise.resolve(),
});

const missing = (found: { missing: string } | object): string | undefined =>
  'missing' in found ? found.missing : undefined;

export const TYPE_SETUPS: { readonly [K in CheckType]: TypeSetup } = {
  http: { cost: 'cheap', start: () => httpTarget('/') },
  https: {
    cost: 'cheap',
    async start(pki) {
      const server = await startHttpsServer(helloHandler, pki.valid);
      return {
        target: `${server.origin}/`,
        options: { ca: pki.ca.certPem },
        close: () => server.close(),
      };
    },
  },
  http_keyword: {
    cost: 'cheap',
    start: () => httpTarget('/', { keyword: 'All Systems Operational' }),
  },
  http_json: {
    cost: 'cheap',
    start: () => httpTarget('/health', { assertions: ['$.status == "ok"', '$.db.up == true'] }),
  },
  tcp: {
    cost: 'cheap',
    async start() {
      const server = await startTcpServer();
      return { target: server.target, options: {}, close: () => server.close() };
    },
  },
  dns: {
    cost: 'cheap',
    async start() {
      const server = await startDnsServer({
        records: [{ name: 'example.test', type: 'A', ttl: 300, data: '192.0.2.10' }],
      });
      return {
        target: 'example.test',
        options: { resolver: server.address },
        close: () => server.close(),
      };
    },
  },
  // The check spawns ping(8); no server: the loopback interface answers.
  icmp: { cost: 'cheap', start: () => Promise.resolve(noServer('127.0.0.1')) },
  tls: {
    cost: 'cheap',
    async start(pki) {
      const server = await startTlsServer(pki.valid);
      return {
        target: `127.0.0.1:${server.port}`,
        options: { ca: pki.ca.certPem },
        close: () => server.close(),
      };
    },
  },
  postgres: {
    cost: 'heavy',
    unavailable: () => missing(postgresBinDir()),
    async start() {
      const server = await startPostgres();
      return {
        target: server.target,
        options: {
          username: server.superuser,
          password: server.password,
          database: 'postgres',
          // Plain-text sessions: the TLS handshake's cost is the tls row's.
          tls: 'off',
        },
        detachedPids: [server.pid],
        close: () => server.stop(),
      };
    },
  },
  udp: {
    cost: 'cheap',
    async start() {
      const server = await startUdpServer({ reply: 'echo' });
      return { target: server.target, options: { send: 'PING\\n' }, close: () => server.close() };
    },
  },
  websocket: {
    cost: 'cheap',
    async start() {
      const server = await startWebsocketServer();
      return { target: `${server.origin}/live`, options: {}, close: () => server.close() };
    },
  },
  ssh: {
    cost: 'heavy',
    async start() {
      const server = await startSshServer({ password: SSH_LOGIN });
      return { target: server.target, options: { ...SSH_LOGIN }, close: () => server.close() };
    },
  },
  redis: {
    cost: 'cheap',
    unavailable: redisUnavailable,
    async start() {
      const server = await startRedisServer();
      return { target: server.target, options: {}, close: () => server.stop() };
    },
  },
  grpc: {
    cost: 'cheap',
    async start() {
      const server = await startGrpcHealthServer({ statuses: { '': 'SERVING' } });
      return { target: server.target, options: {}, close: () => server.close() };
    },
  },
  mysql: {
    cost: 'heavy',
    unavailable: () => missing(mariadbBinaries()),
    async start() {
      const server = await startMysql();
      try {
        server.sql(
          `CREATE USER 'monitor'@'%' IDENTIFIED BY '${MYSQL_PASSWORD}'; CREATE DATABASE app; ` +
            `GRANT ALL ON app.* TO 'monitor'@'%';`,
        );
      } catch (error) {
        await server.stop();
        throw error;
      }
      return {
        target: server.target,
        options: { username: 'monitor', password: MYSQL_PASSWORD, database: 'app', tls: 'off' },
        close: () => server.stop(),
      };
    },
  },
  mqtt: {
    cost: 'cheap',
    async start() {
      const broker = await startMqttBroker();
      return { target: broker.target, options: {}, close: () => broker.close() };
    },
  },
  smtp: {
    cost: 'heavy',
    async start(pki) {
      const server = await startSmtpServer({ cert: pki.valid, login: MAIL_LOGIN });
      return {
        target: server.target,
        options: { ca: pki.ca.certPem, ...MAIL_LOGIN },
        close: () => server.close(),
      };
    },
  },
  imap: {
    cost: 'heavy',
    unavailable: () => (fs.existsSync(DOVECOT) ? undefined : `no ${DOVECOT}`),
    start: (pki) => dovecotTarget(pki, 'imap'),
  },
  pop3: {
    cost: 'heavy',
    unavailable: () => (fs.existsSync(DOVECOT) ? undefined : `no ${DOVECOT}`),
    start: (pki) => dovecotTarget(pki, 'pop3'),
  },
  domain: { cost: 'cheap', start: rdapTarget },
  // A push monitor contacts nothing: the coordinator evaluates the pings it was sent.
  push: {
    cost: 'micro',
    start: () =>
      Promise.resolve(
        noServer('nightly-backup', {
          token: 'bench-push-token-0123456789',
          periodMs: 3_600_000,
          lastPing: Date.now(),
        }),
      ),
  },
  browser: {
    cost: 'browser',
    unavailable: () => (chromiumAvailable() ? undefined : `no Chromium at ${CHROMIUM_PATH}`),
    async start() {
      const site = await startBrowserSite();
      const steps = [
        `{"action":"fill","selector":"#user","value":"${SITE_USER}"}`,
        `{"action":"fill","selector":"#password","value":"${SITE_PASSWORD}","secret":true}`,
        'click button[type=submit]',
        '{"action":"expectText","selector":"h1","text":"Welcome"}',
      ];
      return { target: `${site.origin}/`, options: { steps }, close: () => site.close() };
    },
  },
};

/** Starts the shared test PKI (a CA and a certificate for localhost and 127.0.0.1). */
export function testPki(): Promise<TestPki> {
  return createTestPki();
}
