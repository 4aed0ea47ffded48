import { Socket } from 'node:net';
import pg from 'pg';
import { AppError } from '../../lib/errors.ts';
import type { PostgresTarget } from '../../store/postgres/connection.ts';
import { describeTarget, unavailableError } from '../../store/postgres/connection.ts';

/** The bus's own session: it LISTENs, and sends this coordinator's notifications in order. */
export interface BusConnection {
  client: pg.Client;
  close(): Promise<void>;
}

/**
 * Server-side keepalives, in seconds: the server ends the session of a coordinator that
 * vanished after about idle + interval × count = 9 s instead of Linux's two hours.
 */
const SERVER_KEEPALIVE = { idle: 3, interval: 2, count: 3 };

/** Bounds a connect and every query of the session: a hung server fails them, not stalls. */
const QUERY_TIMEOUT_MS = 10_000;

/** `application_name` of a coordinator's bus session (pg_stat_activity shows whose it is). */
export function busApplicationName(nodeId: string): string {
  // PostgreSQL truncates names to 63 bytes; node ids are ASCII.
  return `crosscheck-bus ${nodeId}`.slice(0, 63);
}

/**
 * Opens the bus's session and LISTENs on `channel`. `onEnd` is called once when the session
 * ends unasked (server restart, `pg_terminate_backend`, a network error), not after `close`.
 */
export async function openBusConnection(
  target: PostgresTarget,
  nodeId: string,
  channel: string,
  handlers: { onNotification(payload: string): void; onEnd(error: Error | null): void },
): Promise<BusConnection> {
  let socket: Socket | undefined;
  const settings = [
    `-c tcp_keepalives_idle=${SERVER_KEEPALIVE.idle}`,
    `-c tcp_keepalives_interval=${SERVER_KEEPALIVE.interval}`,
    `-c tcp_keepalives_count=${SERVER_KEEPALIVE.count}`,
  ];
  const client = new pg.Client({
    connectionString: target.url,
    ...(target.ssl === undefined ? {} : { ssl: target.ssl }),
    application_name: busApplicationName(nodeId),
    keepAlive: true,
    keepAliveInitialDelayMillis: 1_000,
    connectionTimeoutMillis: QUERY_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
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
    if (message.channel === channel) handlers.onNotification(message.payload ?? '');
  });
  try {
    await client.connect();
    await client.query(`listen ${pg.escapeIdentifier(channel)}`);
  } catch (error) {
    ended = true;
    socket?.destroy();
    throw unavailableError(target.url, describeTarget(target.url), error);
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

/** The error of a bus that cannot start: its database is out of reach. */
export function busUnavailable(error: unknown): AppError {
  return error instanceof AppError
    ? error
    : new AppError('UNAVAILABLE', 'the cluster bus cannot reach PostgreSQL', { cause: error });
}
