import { z } from 'zod';
import { expectedPatternSchema } from '../expect-pattern.ts';
import { passwordFlag, usernameFlag } from '../credential-flags.ts';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { dropUndefinedKeys, expectFlag } from '../shared-options.ts';
import { caFlag, caPemSchema, insecureFlag } from '../tls/ca-option.ts';
import type { CheckFlag } from '../types.ts';
import { parseRedisCommand } from './command.ts';

const MAX_COMMAND_LENGTH = 1024;
const MAX_EXPECT_LENGTH = 1024;

/** A read-only command as typed (`GET health`); checked against the allowed commands. */
const commandSchema = z
  .string()
  .max(MAX_COMMAND_LENGTH)
  .superRefine((text, ctx) => {
    const parsed = parseRedisCommand(text);
    if (!Array.isArray(parsed)) ctx.addIssue({ code: 'custom', message: parsed.error });
  });

/** The expected reply: exact text, or `/regex/flags`. */
const expectSchema = expectedPatternSchema({
  tooMany: 'redis accepts exactly one expected reply',
  maxLength: MAX_EXPECT_LENGTH,
});

/** Options of the `redis` check type (stored JSON shape). */
export const redisOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      /** ACL user (Redis 6+); without it AUTH uses the password alone (the default user). */
      username: z.string().min(1).max(255).optional(),
      password: z.string().min(1).max(1024).optional(),
      /** Sent instead of PING; only read-only commands (`READ_ONLY_COMMANDS`). */
      command: commandSchema.optional(),
      /** The reply the command must give: exact text or `/regex/`. PING expects PONG. */
      expect: expectSchema.optional(),
      /** rediss:// only: accept a certificate that does not verify. */
      insecure: z.boolean().optional(),
      /** rediss:// only: PEM of an extra CA to trust. */
      ca: caPemSchema.optional(),
      degradedThresholdMs: durationMsSchema.optional(),
    })
    .superRefine((options, ctx) => {
      if (options.username !== undefined && options.password === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['username'],
          message: 'needs a password (AUTH username password)',
        });
    }),
);

export type RedisOptions = z.output<typeof redisOptionsSchema>;

/** What `redactRedisOptions` masks (`CheckDefinition.secretOptions`). */
export const REDIS_SECRET_OPTIONS: Readonly<Record<string, string>> = {
  password: 'shown as ***',
};

/** The options for display: the password becomes `***`. */
export function redactRedisOptions(options: RedisOptions): RedisOptions {
  return options.password === undefined ? options : { ...options, password: '***' };
}

export const redisFlags: readonly CheckFlag[] = [
  usernameFlag,
  passwordFlag,
  {
    flags: '--command <command>',
    key: 'command',
    description: 'redis: read-only command to send instead of PING, e.g. "GET health"',
    kind: 'string',
  },
  expectFlag,
  insecureFlag,
  caFlag,
  degradedAfterFlag,
];
