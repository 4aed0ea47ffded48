import { connect as connectTcp, isIP } from 'node:net';
import type { Socket } from 'node:net';
import mysql from 'mysql2';
import type { Connection } from 'mysql2';
import { trustedCas } from '../tls/ca-option.ts';
import type { MysqlOptions } from './options.ts';
import type { SessionOutcome } from '../database-check.ts';

/** Thrown into the session's await when the signal aborts; never leaves this module. */
class SessionAborted extends Error {}
const ABORTED = Symbol('aborted');

/**
 * One session: connect and log in, read the server's version, then (with a query) make the
 * session read-only, set the server's own statement limit to the check's timeout (so a query
 * the check gave up on does not keep running there) and run the query in a read-only
 * transaction that is rolled back. Only the first row is kept; the rest are read and dropped.
 */
export async function runSession(
  host: string,
  port: number,
  options: MysqlOptions,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<SessionOutcome> {
  const started = performance.now();
  const since = (): number => performance.now() - started;
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
  let socket: Socket | undefined;
  const connection = mysql.createConnection({
    host,
    port,
    // Our own socket, so an abort can destroy it: mysql2's destroy() only half-closes, and a
    // server busy with a query would keep the connection open.
    stream: () => {
      socket = connectTcp({ host, port, noDelay: true });
      return socket;
    },
    user: options.username,
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.database === undefined ? {} : { database: options.database }),
    ...(options.tls === 'off' ? {} : { ssl: sslOptions(host, options) }),
    // The check's deadline bounds the connect; mysql2's own timer would only duplicate it.
    connectTimeout: Math.max(1, Math.ceil(timeoutMs)) + 1_000,
    // Every value as the server prints it (the mysql client's text), so `expect` compares what
    // a user sees; one statement per call, so a query cannot smuggle a second one past READ ONLY.
    typeCast: (field: { string(): string | null }) => field.string() ?? 'NULL',
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  // mysql2 reports a broken connection on the connection too; the awaited call reports it.
  connection.on('error', () => undefined);
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    const onAbort = (): void => {
      outcome.aborted = true;
      connection.destroy();
      socket?.destroy();
      resolve(ABORTED);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  const step = async <T>(work: Promise<T>): Promise<T> => {
    // Once the abort decided, the destroyed connection's rejection has nothing to add.
    work.catch(() => undefined);
    const first = await Promise.race([work, aborted]);
    if (first === ABORTED) throw new SessionAborted('aborted');
    return first;
  };
  try {
    await step(connect(connection));
    outcome.readyMs = since();
    outcome.phase = 'query';
    outcome.serverVersion = (await step(firstValue(connection, 'SELECT VERSION()'))).value;
    if (options.query !== undefined) {
      for (const statement of readOnlyStatements(outcome.serverVersion ?? '', timeoutMs))
        await step(firstValue(connection, statement));
      const queryStart = performance.now();
      const first = await step(firstValue(connection, options.query));
      outcome.queryMs = performance.now() - queryStart;
      outcome.value = first.value;
      outcome.rows = first.rows;
      await step(firstValue(connection, 'ROLLBACK'));
    }
  } catch (error) {
    if (!(error instanceof SessionAborted)) outcome.error = error;
  } finally {
    outcome.endedMs = since();
    await closeQuietly(connection, outcome);
    socket?.destroy();
  }
  return outcome;
}

/**
 * The statements that make the session safe for a user's query: read-only for every later
 * transaction (so a DDL's implicit commit cannot escape it), the server-side time limit
 * (MariaDB: `max_statement_time` in seconds; MySQL: `max_execution_time` in ms, SELECT only),
 * then the read-only transaction itself.
 */
export function readOnlyStatements(serverVersion: string, timeoutMs: number): string[] {
  const ms = Math.max(1, Math.ceil(timeoutMs));
  const limit = /mariadb/i.test(serverVersion)
    ? `SET SESSION max_statement_time = ${(ms / 1000).toFixed(3)}`
    : `SET SESSION max_execution_time = ${ms}`;
  return [limit, 'SET SESSION TRANSACTION READ ONLY', 'START TRANSACTION READ ONLY'];
}

function sslOptions(host: string, options: MysqlOptions) {
  const verify = options.tls === 'verify';
  // mysql2 takes no secureContext: it builds (and caches per `ssl` object) its own from `ca`.
  // A fresh `ssl` object per check keeps its TLS session cache from resuming across checks.
  const ca = verify ? trustedCas(options.ca) : undefined;
  // A name is checked against the certificate (verifyIdentity); an IP address against its SAN.
  return {
    rejectUnauthorized: verify,
    verifyIdentity: verify,
    ...(ca === undefined ? {} : { ca }),
    ...(isIP(host) === 0 ? { servername: host } : {}),
  };
}

function connect(connection: Connection): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.connect((error) => (error ? reject(error) : resolve()));
  });
}

/** Runs one statement, keeping the first row's first column and counting the rows. */
function firstValue(
  connection: Connection,
  sql: string,
): Promise<{ value: string | null; rows: number }> {
  return new Promise((resolve, reject) => {
    let value: string | null = null;
    let rows = 0;
    // Rows as arrays: the first column even when two columns share a name.
    const query = connection.query({ sql, rowsAsArray: true });
    query.on('result', (row: unknown) => {
      if (rows === 0 && Array.isArray(row)) {
        const cell: unknown = row[0];
        value = typeof cell === 'string' ? cell : 'NULL';
      }
      rows += 1;
    });
    query.on('error', reject);
    query.on('end', () => resolve({ value, rows }));
  });
}

/** Ends the session; a session that cannot end politely (aborted, broken) is destroyed. */
async function closeQuietly(connection: Connection, outcome: SessionOutcome): Promise<void> {
  if (outcome.aborted || outcome.error !== null) {
    connection.destroy();
    return;
  }
  await new Promise<void>((resolve) => {
    // `end` waits for the server; a stalled server must not hold the check.
    const timer = setTimeout(() => {
      connection.destroy();
      resolve();
    }, 1_000);
    connection.end(() => {
      clearTimeout(timer);
      connection.destroy();
      resolve();
    });
  });
}
