import { z } from 'zod';
import { passwordFlag, usernameFlag } from '../credential-flags.ts';
import { databaseFlag, dbTlsFlag, queryFlag } from '../database-flags.ts';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { dropUndefinedKeys, expectFlag } from '../shared-options.ts';
import { caFlag, caPemSchema } from '../tls/ca-option.ts';
import type { CheckFlag } from '../types.ts';
import { DATABASE_TLS_MODES, oneExpectedValue, querySchema } from '../database-check.ts';

/** The connection's protection, as for postgres (see `DATABASE_TLS_MODES`). */
export const MYSQL_TLS_MODES = DATABASE_TLS_MODES;

const expectSchema = oneExpectedValue('mysql');

/** Options of the `mysql` check type (stored JSON shape). */
export const mysqlOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      // MySQL user names are at most 80 characters (MariaDB 10.6+, MySQL 8: 32; the server judges).
      username: z.string().min(1).max(80).default('root').describe('user to log in as'),
      password: z.string().min(1).max(1_000).optional().describe('password of the user (secret)'),
      database: z.string().min(1).max(64).optional().describe('database to connect to'),
      query: querySchema.optional(),
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
