import { z } from 'zod';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { passwordFlag, usernameFlag } from '../credential-flags.ts';
import { databaseFlag, dbTlsFlag, queryFlag } from '../database-flags.ts';
import { dropUndefinedKeys, expectFlag } from '../shared-options.ts';
import type { CheckFlag } from '../types.ts';
import { DATABASE_TLS_MODES, oneExpectedValue, querySchema } from '../database-check.ts';

/** The connection's protection (see `DATABASE_TLS_MODES`). */
export const POSTGRES_TLS_MODES = DATABASE_TLS_MODES;

const expectSchema = oneExpectedValue('postgres');

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
      query: querySchema.optional(),
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
