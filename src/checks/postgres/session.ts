import { Socket } from 'node:net';
import { isIP } from 'node:net';
import pg from 'pg';
import type { PostgresOptions } from './options.ts';
import type { SessionOutcome } from '../database-check.ts';

/**
 * One session: connect and log in, then run the user's query (or `SHOW server_version`) with
 * every transaction read-only and the server's own statement timeout set to the check's, so a
 * query the check gave up on does not keep running there. Only the first row is kept: the
 * rest are read and dropped, so a query returning many rows cannot fill this node's memory.
 * The socket is ours (pg's `stream` factory) so an abort can destroy it at once.
 */
export async function runSession(
  host: string,
  port: number,
  options: PostgresOptions,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<SessionOutcome> {
  const started = performance.now();
  const since = (): number => performance.now() - started;
  let socket: Socket | undefined;
  const client = new pg.Client({
    host,
    port,
    user: options.username,
    database: options.database ?? options.username,
    ...(options.password === undefined ? {} : { password: options.password }),
    ssl: sslOptions(host, options.tls),
    application_name: 'crosscheck',
    // Every value as the server prints it (psql's text), so `expect` compares what a user sees.
    types: { getTypeParser: () => (text: string) => text },
    options: `-c default_transaction_read_only=on -c statement_timeout=${Math.max(1, Math.ceil(timeoutMs))}`,
    stream: () => {
      socket = new Socket();
      return socket;
    },
  });
  const outcome: SessionOutcome = {
    phase: 'connect',
    readyMs: null,
    queryMs: null,
    serverVersion: null,
    value: null,
    rows: 0,
    error: null,
    aborted: false,
    endedMs: 0,
  };
  client.connection.on(
    'parameterStatus',
    (message: { parameterName: string; parameterValue: string }) => {
      if (message.parameterName === 'server_version')
        outcome.serverVersion = message.parameterValue;
    },
  );
  // pg reports a socket error on the client too; it is read from the awaited call instead.
  client.on('error', () => undefined);
  const abort = (): void => {
    outcome.aborted = true;
    socket?.destroy();
  };
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
    outcome.readyMs = since();
    outcome.phase = 'query';
    const queryStart = performance.now();
    await firstRow(client, options.query ?? 'SHOW server_version', outcome);
    outcome.queryMs = performance.now() - queryStart;
  } catch (error) {
    outcome.error = error;
  } finally {
    outcome.endedMs = since();
    signal.removeEventListener('abort', abort);
    await closeQuietly(client, socket);
  }
  return outcome;
}

function sslOptions(host: string, mode: PostgresOptions['tls']): false | pg.ClientConfig['ssl'] {
  if (mode === 'off') return false;
  // A name is checked against the certificate; an IP address is sent as no SNI name.
  return {
    rejectUnauthorized: mode === 'verify',
    ...(isIP(host) === 0 ? { servername: host } : {}),
  };
}

/** Runs `text`, keeping the first row's first column and counting the rows. */
function firstRow(client: pg.Client, text: string, outcome: SessionOutcome): Promise<void> {
  return new Promise((resolve, reject) => {
    const query = new pg.Query(text);
    query.on('row', (row: Record<string, unknown>, result?: pg.ResultBuilder) => {
      const first = result?.fields[0];
      if (outcome.rows === 0 && first !== undefined) {
        const value = row[first.name];
        outcome.value = typeof value === 'string' ? value : 'NULL';
      }
      outcome.rows += 1;
    });
    query.on('end', () => resolve());
    query.on('error', reject);
    client.query(query);
  });
}

/** Ends the session; a session that cannot end politely (aborted, broken) loses its socket. */
async function closeQuietly(client: pg.Client, socket: Socket | undefined): Promise<void> {
  if (socket === undefined || socket.destroyed) {
    socket?.destroy();
    return;
  }
  const ended = client.end().catch(() => undefined);
  // `end` waits for the server's goodbye; a stalled server must not hold the check.
  const timer = setTimeout(() => socket.destroy(), 1_000);
  await ended;
  clearTimeout(timer);
  socket.destroy();
}
