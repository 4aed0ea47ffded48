import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { AppError } from '../../lib/errors.ts';
import type { StoreLogger } from '../logger.ts';

/** What `openPostgresStore` needs to reach the server. */
export interface PostgresTarget {
  /** `postgres://user:password@host:port/database?sslmode=…` */
  url: string;
  /** TLS for the connection; overrides the URL's `sslmode`. */
  ssl?: boolean | ConnectionOptions;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Type parsers of the store's pools, not pg's global ones (which other pg users in the process,
 * the postgres check, must not see changed); built once, never changed after: bigint columns
 * (epoch-ms timestamps, seqs, `count(*)`) and numeric (`sum` of integers) come back as JS
 * numbers, as the store's row types say. Every value the store keeps fits in 2^53.
 */
const storeTypes = new pg.TypeOverrides();
storeTypes.setTypeParser(INT8_OID, 'text', Number);
storeTypes.setTypeParser(NUMERIC_OID, 'text', Number);

/**
 * Server-side limits every store connection starts with (startup parameters, no extra round
 * trip). statement_timeout: no store statement runs longer than seconds (writes are chunked,
 * prune goes in batches), so five minutes only ends a statement stuck behind a lock held by a
 * hung peer. idle_in_transaction_session_timeout: a coordinator that stalls inside a
 * transaction (paused process, half-dead network) loses it after a minute instead of holding
 * its row locks for hours.
 */
const STORE_SESSION = {
  statement_timeout: 300_000,
  idle_in_transaction_session_timeout: 60_000,
};

/**
 * A pool of store connections. TCP keepalives from 10 s of silence on: a server that vanished
 * (host down, partition) is noticed by the kernel within about a minute and a half instead of
 * the default two hours, so a query waiting on it fails rather than hangs.
 */
export function createStorePool(
  target: PostgresTarget,
  options: { max: number; readonly: boolean; logger: StoreLogger; unlimited?: boolean },
): pg.Pool {
  const config: pg.PoolConfig = {
    connectionString: target.url,
    max: options.max,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // Bounds a connect to a host that does not answer, and also (pg-pool uses the same
    // setting) a wait for a free connection while every one is busy: long enough that a burst
    // of reads during a large write transaction queues rather than fails.
    connectionTimeoutMillis: 30_000,
    idleTimeoutMillis: 30_000,
    types: storeTypes,
    application_name: 'crosscheck',
    ...(options.unlimited === true ? {} : STORE_SESSION),
    ...(options.readonly ? { options: '-c default_transaction_read_only=on' } : {}),
    ...(target.ssl === undefined ? {} : { ssl: target.ssl }),
  };
  const pool = new pg.Pool(config);
  // An idle connection the server drops (restart, pg_terminate_backend) emits 'error' on the
  // pool; unhandled, it would crash the process. The pool discards it and the next query gets a
  // fresh connection. pg's message names no password.
  pool.on('error', (error) => {
    options.logger.warn(
      { where: describeTarget(target.url), error: error.message },
      'store.postgres: an idle connection failed and was dropped',
    );
  });
  return pool;
}

/**
 * `host:port/database` of a URL, for messages: never the user's password. Throws a clear
 * VALIDATION error when the URL is not a PostgreSQL URL.
 */
export function describeTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('VALIDATION', 'database URL: not a URL (expected postgres://host:port/db)', {
      issues: [{ path: 'databaseUrl', message: 'not a URL (expected postgres://host:port/db)' }],
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    const message = `unsupported scheme ${parsed.protocol} (expected postgres:// or postgresql://)`;
    throw new AppError('VALIDATION', `database URL: ${message}`, {
      issues: [{ path: 'databaseUrl', message }],
    });
  }
  const host = parsed.hostname === '' ? 'localhost' : parsed.hostname;
  const port = parsed.port === '' ? '5432' : parsed.port;
  return `${host}:${port}${parsed.pathname}`;
}

/**
 * The typed error of a failed connection or first query: UNAVAILABLE, naming where it tried.
 * pg's messages carry no password, but the text is scrubbed of it anyway: a server's message
 * could quote a connection string back.
 */
export function unavailableError(url: string, where: string, error: unknown): AppError {
  const reason = scrub(reasonOf(error), passwordOf(url));
  return new AppError('UNAVAILABLE', `PostgreSQL at ${where}: ${reason}`, {
    cause: new Error(reason),
  });
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map((e: unknown) => reasonOf(e)).join('; ');
  }
  if (error instanceof Error) {
    const raw = (error as { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw : undefined;
    const text = error.message === '' ? (code ?? error.name) : error.message;
    return code !== undefined && !text.includes(code) ? `${text} (${code})` : text;
  }
  return String(error);
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

function scrub(text: string, secret: string): string {
  return secret === '' ? text : text.replaceAll(secret, '***');
}
