import { z } from 'zod';
import { hostPortTargetSchema, isHostOrIp, parsePort, splitHostPort } from './net-names.ts';
import type { HostPort } from './tcp/target.ts';

// What the SQL database checks (postgres, mysql) share: their target form, the query and
// expected-value options, the TLS modes and the shape of one session's outcome. Each type keeps
// its own driver, session and error mapping.

/** Longest query: a health query, not a report. */
export const MAX_QUERY_LENGTH = 2_000;

/**
 * How the connection is protected. `verify` (the default) needs TLS with a certificate the node
 * trusts for the host name; `require` encrypts without checking who answers (libpq's
 * `sslmode=require`); `off` sends the session in clear text (a server without TLS).
 */
export const DATABASE_TLS_MODES = ['verify', 'require', 'off'] as const;

/** The one expected value; the CLI's `--expect` is a list flag, so a one-element list is read. */
export function oneExpectedValue(type: string) {
  return z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
    if (Array.isArray(value) && value.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `${type} compares exactly one expected value` });
      return z.NEVER;
    }
    return Array.isArray(value) ? (value[0] ?? '') : value;
  });
}

/** The read-only query option, bounded. */
export const querySchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_QUERY_LENGTH)
  .describe('run in a read-only transaction; its first column of the first row is compared');

/** Where a session was when it ended. */
export type SessionPhase = 'connect' | 'query';

/** What one check session saw: how far it got, what came back, and any error. */
export interface SessionOutcome {
  phase: SessionPhase;
  /** Connected, logged in and ready for a query (ms from the start). */
  readyMs: number | null;
  /** From sending the query to its end (ms). */
  queryMs: number | null;
  serverVersion: string | null;
  /** The first column of the first row as text (`NULL` for SQL null); null without a row. */
  value: string | null;
  rows: number;
  error: unknown;
  /** The deadline or the caller's abort ended the session. */
  aborted: boolean;
  /** When the session ended (ms from the start). */
  endedMs: number;
}

/** How one database type writes its targets. */
export interface DatabaseTargetForm {
  defaultPort: number;
  /** Connection URLs of this engine (`postgres://…`), refused with a pointer to the options. */
  urlScheme: RegExp;
}

/**
 * Parses `host`, `host:port` or `[v6]:port` (the default port when absent). A connection URL is
 * refused with a pointer to the options: a password in the target would be shown everywhere a
 * target is.
 */
export function parseDatabaseTarget(
  text: string,
  form: DatabaseTargetForm,
): HostPort | { error: string } {
  const trimmed = text.trim();
  if (form.urlScheme.test(trimmed))
    return {
      error:
        'give host:port; the user, password and database are options (--username, --password, --database)',
    };
  const parts = splitHostPort(trimmed);
  if (!parts)
    return {
      error: `must be host or host:port, e.g. db.internal or db.internal:${form.defaultPort}`,
    };
  if (!isHostOrIp(parts.host))
    return { error: `"${parts.host}" is not a valid hostname or IP address` };
  if (parts.port === undefined) return { host: parts.host.toLowerCase(), port: form.defaultPort };
  const port = parsePort(parts.port);
  if (port === undefined) return { error: `port "${parts.port}" must be a number from 1 to 65535` };
  return { host: parts.host.toLowerCase(), port };
}

/** Validates a database target and normalises it to `host:port`. */
export function databaseTargetSchema(form: DatabaseTargetForm) {
  return hostPortTargetSchema((text) => parseDatabaseTarget(text, form));
}
