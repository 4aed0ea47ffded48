import { Socket } from 'node:net';
import pg from 'pg';
import { AppError } from '../../lib/errors.ts';
import type { LeaseTimings } from './lease-decision.ts';
import { LEASE_CHANNEL, leaseApplicationName, listenForRelease } from './lease-queries.ts';

/** Where the lease's database is; the password is only ever handed to `pg`. */
export interface LeaseConnectionConfig {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  ssl?: pg.ClientConfig['ssl'];
}

/** The dedicated connection and its socket (ours, so closing never waits on a dead peer). */
export interface LeaseConnection {
  client: pg.Client;
  close(): Promise<void>;
}

/**
 * Server-side keepalives, in seconds: the server notices a vanished peer after about
 * idle + interval × count = 9 s and ends its session, which frees the advisory lock. Without
 * them Linux's defaults keep a partitioned leader's session (and lock) for over two hours.
 */
const SERVER_KEEPALIVE = { idle: 3, interval: 2, count: 3 };

/**
 * Opens the lease's own session: TCP keepalives on both ends, the server also dropping data
 * unacknowledged for ttl (`tcp_user_timeout`), every query bounded by ttl on this side (a hung
 * renewal fails instead of stalling the lease loop), the session named after its holder and
 * listening for a released lease.
 */
export async function openLeaseConnection(
  config: LeaseConnectionConfig,
  self: string,
  timings: LeaseTimings,
  handlers: { onEnd(error: Error | null): void; onRelease(): void },
): Promise<LeaseConnection> {
  let socket: Socket | undefined;
  const settings = [
    `-c tcp_keepalives_idle=${SERVER_KEEPALIVE.idle}`,
    `-c tcp_keepalives_interval=${SERVER_KEEPALIVE.interval}`,
    `-c tcp_keepalives_count=${SERVER_KEEPALIVE.count}`,
    `-c tcp_user_timeout=${timings.ttlMs}`,
  ];
  const client = new pg.Client({
    host: config.host,
    port: config.port,
    user: config.user,
    database: config.database,
    ...(config.password === undefined ? {} : { password: config.password }),
    ...(config.ssl === undefined ? {} : { ssl: config.ssl }),
    application_name: leaseApplicationName(self),
    keepAlive: true,
    keepAliveInitialDelayMillis: 1_000,
    connectionTimeoutMillis: timings.ttlMs,
    query_timeout: timings.ttlMs,
    options: settings.join(' '),
    stream: () => {
      socket = new Socket();
      return socket;
    },
  });
  let ended = false;
  const end = (error: Error | null): void => {
    if (ended) return;
    ended = true;
    handlers.onEnd(error);
  };
  client.on('error', (error) => end(error));
  client.on('end', () => end(null));
  client.on('notification', (message) => {
    if (message.channel === LEASE_CHANNEL) handlers.onRelease();
  });
  try {
    await client.connect();
    await listenForRelease(client);
  } catch (error) {
    ended = true;
    socket?.destroy();
    socket = undefined;
    throw new AppError(
      'UNAVAILABLE',
      `the leader lease cannot connect to PostgreSQL at ${config.host}:${config.port}: ${describe(error)}`,
      { cause: error },
    );
  }
  return {
    client,
    close: async () => {
      ended = true;
      if (socket === undefined || socket.destroyed) return;
      const polite = client.end().catch(() => undefined);
      // `end` waits for the server's goodbye; a partitioned server must not hold the stop.
      const timer = setTimeout(() => socket?.destroy(), 1_000);
      await polite;
      clearTimeout(timer);
      socket.destroy();
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The lease's connection settings from the coordinator's database URL (already checked and
 * stripped of its TLS parameters, which arrive as `ssl`).
 */
export function leaseConnectionFromUrl(
  url: string,
  ssl: pg.ClientConfig['ssl'],
): LeaseConnectionConfig {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 5432 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    ...(password === '' ? {} : { password }),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    ...(ssl === undefined ? {} : { ssl }),
  };
}
