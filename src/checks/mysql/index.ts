import type { CheckResult, ErrorKind } from '../../domain/check-result.ts';
import { withDeadline } from '../deadline.ts';
import { answeredResult } from '../degraded-after.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import type { MysqlOptions } from './options.ts';
import {
  MYSQL_SECRET_OPTIONS,
  mysqlFlags,
  mysqlOptionsSchema,
  redactMysqlOptions,
} from './options.ts';
import type { SessionOutcome } from '../database-check.ts';
import { runSession } from './session.ts';
import { mysqlTargetSchema, parseMysqlTarget } from './target.ts';

/** The `mysql` check: log in, run a read-only query, optionally compare its first value. */
export const mysqlCheck: CheckDefinition<MysqlOptions> = {
  type: 'mysql',
  description:
    'MySQL / MariaDB: connect and log in, run a read-only query (default SELECT VERSION()), optionally expect its value',
  targetSchema: mysqlTargetSchema,
  optionsSchema: mysqlOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: mysqlFlags,
  secretOptions: MYSQL_SECRET_OPTIONS,
  redact: redactMysqlOptions,
  run: runMysqlCheck,
};

async function runMysqlCheck(
  target: string,
  options: MysqlOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const address = parseMysqlTarget(target);
  if ('error' in address) return downResult('network', 0, `invalid target: ${address.error}`);
  const outcome = await withDeadline(ctx, (signal) =>
    runSession(address.host, address.port, options, ctx.timeoutMs, signal),
  );
  return describeSession(outcome, options, ctx.timeoutMs);
}

/** Server errors that mean the statement ran out of the server-side time limit we set. */
const STATEMENT_TIMEOUT_ERRNOS = new Set([1969, 3024]);

/** Turns what the session saw into the one result shape. */
export function describeSession(
  outcome: SessionOutcome,
  options: Pick<MysqlOptions, 'query' | 'expect' | 'degradedThresholdMs' | 'username' | 'database'>,
  timeoutMs: number,
): CheckResult {
  const latencyMs = outcome.endedMs;
  const timings = outcome.readyMs === null ? {} : { connectMs: outcome.readyMs };
  const details = {
    user: options.username,
    database: options.database ?? null,
    serverVersion: outcome.serverVersion,
    ...(options.query === undefined ? {} : { rows: outcome.rows, value: outcome.value }),
  };
  const step = outcome.phase === 'connect' ? 'connecting and logging in' : 'the query';
  if (outcome.aborted) {
    // The deadline aborts at the timeout; an abort well before it is the node shutting down.
    const message =
      outcome.endedMs < timeoutMs * 0.9
        ? `check cancelled after ${Math.round(outcome.endedMs)} ms during ${step}`
        : `no answer within ${timeoutMs} ms during ${step}`;
    return downResult('timeout', outcome.endedMs, message, timings, details);
  }
  if (outcome.error !== null) {
    const { kind, message } = describeError(outcome.error, outcome.phase, timeoutMs);
    return downResult(kind, latencyMs, message, timings, details);
  }
  const got = outcome.rows === 0 ? 'no row' : `"${excerpt(outcome.value ?? '')}"`;
  if (options.expect !== undefined && outcome.value !== options.expect)
    return downResult(
      'assertion',
      latencyMs,
      `expected "${excerpt(options.expect)}", got ${got}`,
      timings,
      details,
    );
  const what =
    options.query === undefined
      ? `logged in (${outcome.serverVersion ?? 'unknown version'})`
      : `query returned ${got}`;
  const message = `${what} in ${Math.round(latencyMs)} ms`;
  return answeredResult(latencyMs, message, options.degradedThresholdMs, timings, details);
}

/** A server error (errno + SQLSTATE) says what the server refused; anything else the network's. */
function describeError(
  error: unknown,
  phase: SessionOutcome['phase'],
  timeoutMs: number,
): { kind: ErrorKind; message: string } {
  const server = serverError(error);
  if (server !== null) {
    if (STATEMENT_TIMEOUT_ERRNOS.has(server.errno))
      return { kind: 'timeout', message: `no answer within ${timeoutMs} ms during the query` };
    const what = phase === 'connect' ? 'login refused' : 'query failed';
    return {
      kind: 'status',
      message: `${what}: ${server.message} (${server.code} ${server.errno}, SQLSTATE ${server.sqlState})`,
    };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT')
    return {
      kind: 'tls',
      message: 'the server does not offer TLS (use --db-tls off for a server without it)',
    };
  // mysql2 replaces the TLS error's own code with this one; its message still says what failed.
  if (code === 'HANDSHAKE_SSL_ERROR') {
    const text = error instanceof Error ? error.message : String(error);
    return { kind: 'tls', message: `TLS error: ${text}` };
  }
  return classifyNetworkError(error);
}

/** A MySQL error packet carries a numeric errno, a symbolic code and a five-character SQLSTATE. */
function serverError(
  error: unknown,
): { errno: number; code: string; sqlState: string; message: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { errno, code, sqlState, sqlMessage } = error as Record<string, unknown>;
  if (typeof errno !== 'number' || typeof sqlState !== 'string' || typeof code !== 'string')
    return null;
  const fallback = error instanceof Error ? error.message : code;
  const message = typeof sqlMessage === 'string' ? sqlMessage : fallback;
  return { errno, code, sqlState, message };
}

const EXCERPT_LENGTH = 80;

function excerpt(text: string): string {
  return text.length <= EXCERPT_LENGTH ? text : `${text.slice(0, EXCERPT_LENGTH)}…`;
}
