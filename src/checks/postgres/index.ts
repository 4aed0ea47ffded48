import type { CheckResult } from '../../domain/check-result.ts';
import { withDeadline } from '../deadline.ts';
import { answeredResult } from '../degraded-after.ts';
import { classifyNetworkError, downResult } from '../outcome.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import type { PostgresOptions } from './options.ts';
import {
  POSTGRES_SECRET_OPTIONS,
  postgresFlags,
  postgresOptionsSchema,
  redactPostgresOptions,
} from './options.ts';
import type { SessionOutcome } from '../database-check.ts';
import { runSession } from './session.ts';
import { parsePostgresTarget, postgresTargetSchema } from './target.ts';

/** The `postgres` check: log in, run a read-only query, optionally compare its first value. */
export const postgresCheck: CheckDefinition<PostgresOptions> = {
  type: 'postgres',
  description:
    'PostgreSQL: connect and log in, run a read-only query (default SHOW server_version), optionally expect its value',
  targetSchema: postgresTargetSchema,
  optionsSchema: postgresOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: postgresFlags,
  secretOptions: POSTGRES_SECRET_OPTIONS,
  redact: redactPostgresOptions,
  run: runPostgresCheck,
};

async function runPostgresCheck(
  target: string,
  options: PostgresOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const address = parsePostgresTarget(target);
  if ('error' in address) return downResult('network', 0, `invalid target: ${address.error}`);
  const outcome = await withDeadline(ctx, (signal) =>
    runSession(address.host, address.port, options, ctx.timeoutMs, signal),
  );
  return describeSession(outcome, options, ctx.timeoutMs);
}

/** SQLSTATE classes of a refused login (28: authorization) and a missing database (3D). */
const LOGIN_CLASSES = new Set(['28', '3D']);

/** Turns what the session saw into the one result shape. */
export function describeSession(
  outcome: SessionOutcome,
  options: Pick<
    PostgresOptions,
    'query' | 'expect' | 'degradedThresholdMs' | 'username' | 'database'
  >,
  timeoutMs: number,
): CheckResult {
  const latencyMs = (outcome.readyMs ?? 0) + (outcome.queryMs ?? 0);
  const timings = outcome.readyMs === null ? {} : { connectMs: outcome.readyMs };
  const details = {
    user: options.username,
    database: options.database ?? options.username,
    serverVersion: outcome.serverVersion,
    ...(options.query === undefined ? {} : { rows: outcome.rows, value: outcome.value }),
  };
  if (outcome.aborted) {
    const step = outcome.phase === 'connect' ? 'connecting and logging in' : 'the query';
    // The deadline aborts at the timeout; an abort well before it is the node shutting down.
    const message =
      outcome.endedMs < timeoutMs * 0.9
        ? `check cancelled after ${Math.round(outcome.endedMs)} ms during ${step}`
        : `no answer within ${timeoutMs} ms during ${step}`;
    return downResult('timeout', outcome.endedMs, message, timings, details);
  }
  if (outcome.error !== null) {
    const { kind, message } = describeError(outcome.error, outcome.phase);
    return downResult(kind, latencyMs, message, timings, details);
  }
  if (options.expect !== undefined && outcome.value !== options.expect) {
    const got = outcome.rows === 0 ? 'no row' : `"${excerpt(outcome.value ?? '')}"`;
    return downResult(
      'assertion',
      latencyMs,
      `expected "${excerpt(options.expect)}", got ${got}`,
      timings,
      details,
    );
  }
  const what =
    options.query === undefined
      ? `logged in (PostgreSQL ${outcome.serverVersion ?? 'unknown version'})`
      : `query returned ${outcome.rows === 0 ? 'no row' : `"${excerpt(outcome.value ?? '')}"`}`;
  const message = `${what} in ${Math.round(latencyMs)} ms`;
  return answeredResult(latencyMs, message, options.degradedThresholdMs, timings, details);
}

/** A server error (SQLSTATE) says what the server refused; anything else is the network's. */
function describeError(
  error: unknown,
  phase: SessionOutcome['phase'],
): ReturnType<typeof classifyNetworkError> {
  const sqlState = serverErrorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  if (sqlState !== null) {
    const login = LOGIN_CLASSES.has(sqlState.slice(0, 2)) || phase === 'connect';
    return {
      kind: 'status',
      message: `${login ? 'login refused' : 'query failed'}: ${text} (SQLSTATE ${sqlState})`,
    };
  }
  if (/does not support SSL/i.test(text))
    return {
      kind: 'tls',
      message: 'the server does not offer TLS (use --db-tls off for a server without it)',
    };
  if (/SASL|password must be a string|no password/i.test(text))
    return { kind: 'status', message: `login refused: ${text}` };
  return classifyNetworkError(error);
}

/** A PostgreSQL error response carries a five-character SQLSTATE and a severity. */
function serverErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('severity' in error)) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

const EXCERPT_LENGTH = 80;

function excerpt(text: string): string {
  return text.length <= EXCERPT_LENGTH ? text : `${text.slice(0, EXCERPT_LENGTH)}…`;
}
