import { z } from 'zod';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { passwordFlag, usernameFlag } from '../credential-flags.ts';
import { databaseFlag, dbTlsFlag, queryFlag } from '../database-flags.ts';
import { dropUndefinedKeys, expectFlag } from '../shared-options.ts';
import type { CheckFlag } from '../types.ts';

/** Longest query: a health query, not a report. */
export const MAX_QUERY_LENGTH = 2_000;

/**
 * How the connection is protected. `verify` (the default) needs TLS with a certificate the node
 * trusts for the host name; `require` encrypts without checking who answers (libpq's
 * `sslmode=require`); `off` sends the session in clear text (a server without TLS).
 */
export const POSTGRES_TLS_MODES = ['verify', 'require', 'off'] as const;

/** The one expected value; the CLI's `--expect` is a list flag, so a one-element list is read. */
const expectSchema = z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
  if (Array.isArray(value) && value.length !== 1) {
    ctx.addIssue({ code: 'custom', message: 'postgres compares exactly one expected value' });
    return z.NEVER;
  }
  return Array.isArray(value) ? (value[0] ?? '') : value;
});

/** Options of the `postgres` check type (stored JSON shape). */
export const postgresOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      username: z.string().min(1).max(63).default('postgres').describe('role to log in as'),
      password: z.string().min(1).max(1_000).optional().describe('password of the role (secret)'),
      database: z
        .string()
        .min(1)
        .max(63)
        .optional()
        .describe('database to connect to (default: the role name)'),
      query: z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(MAX_QUERY_LENGTH)
        .optional()
        .describe('run in a read-only transaction; its first column of the first row is compared'),
      expect: expectSchema
        .optional()
        .describe('value the query must return (text compare of the first column)'),
      tls: z.enum(POSTGRES_TLS_MODES).default('verify').describe('verify, require or off'),
      degradedThresholdMs: durationMsSchema.optional(),
    })
    .superRefine((options, ctx) => {
      if (options.expect !== undefined && options.query === undefined)
        ctx.addIssue({ code: 'custom', path: ['expect'], message: 'needs a query to compare' });
    }),
);

export type PostgresOptions = z.output<typeof postgresOptionsSchema>;

/** The options that hold secrets, masked in every output. */
export const POSTGRES_SECRET_OPTIONS = { password: 'the password' } as const;

export const postgresFlags: readonly CheckFlag[] = [
  usernameFlag,
  passwordFlag,
  databaseFlag,
  queryFlag,
  dbTlsFlag,
  expectFlag,
  degradedAfterFlag,
];

/** The options with the password masked, for the API, the CLI and logs. */
export function redactPostgresOptions(options: PostgresOptions): PostgresOptions {
  return options.password === undefined ? options : { ...options, password: '***' };
}
