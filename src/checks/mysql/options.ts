import { z } from 'zod';
import { passwordFlag, usernameFlag } from '../credential-flags.ts';
import { databaseFlag, dbTlsFlag, queryFlag } from '../database-flags.ts';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { dropUndefinedKeys, expectFlag } from '../shared-options.ts';
import { caFlag, caPemSchema } from '../tls/ca-option.ts';
import type { CheckFlag } from '../types.ts';

/** Longest query: a health query, not a report. */
export const MAX_QUERY_LENGTH = 2_000;

/**
 * How the connection is protected, as for postgres: `verify` (the default) needs TLS with a
 * certificate the node trusts (plus `ca`) for the host name; `require` encrypts without checking
 * who answers; `off` sends the session in clear text (a server without TLS).
 */
export const MYSQL_TLS_MODES = ['verify', 'require', 'off'] as const;

/** The one expected value; the CLI's `--expect` is a list flag, so a one-element list is read. */
const expectSchema = z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
  if (Array.isArray(value) && value.length !== 1) {
    ctx.addIssue({ code: 'custom', message: 'mysql compares exactly one expected value' });
    return z.NEVER;
  }
  return Array.isArray(value) ? (value[0] ?? '') : value;
});

/** Options of the `mysql` check type (stored JSON shape). */
export const mysqlOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      // MySQL user names are at most 80 characters (MariaDB 10.6+, MySQL 8: 32; the server judges).
      username: z.string().min(1).max(80).default('root').describe('user to log in as'),
      password: z.string().min(1).max(1_000).optional().describe('password of the user (secret)'),
      database: z.string().min(1).max(64).optional().describe('database to connect to'),
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
      tls: z.enum(MYSQL_TLS_MODES).default('verify').describe('verify, require or off'),
      ca: caPemSchema.optional().describe('PEM of an extra CA to trust (tls verify)'),
      degradedThresholdMs: durationMsSchema.optional(),
    })
    .superRefine((options, ctx) => {
      if (options.expect !== undefined && options.query === undefined)
        ctx.addIssue({ code: 'custom', path: ['expect'], message: 'needs a query to compare' });
      if (options.ca !== undefined && options.tls !== 'verify')
        ctx.addIssue({
          code: 'custom',
          path: ['ca'],
          message: 'is only used with tls verify (require checks no certificate, off has none)',
        });
    }),
);

export type MysqlOptions = z.output<typeof mysqlOptionsSchema>;

/** The options that hold secrets, masked in every output. */
export const MYSQL_SECRET_OPTIONS = { password: 'the password' } as const;

export const mysqlFlags: readonly CheckFlag[] = [
  usernameFlag,
  passwordFlag,
  databaseFlag,
  queryFlag,
  dbTlsFlag,
  caFlag,
  expectFlag,
  degradedAfterFlag,
];

/** The options with the password masked, for the API, the CLI and logs. */
export function redactMysqlOptions(options: MysqlOptions): MysqlOptions {
  return options.password === undefined ? options : { ...options, password: '***' };
}
