import { z } from 'zod';
import { parseDuration } from '../../lib/duration.ts';
import { ROLES } from '../../domain/principal.ts';

/**
 * People's names: letters, digits, `.`, `_`, `-`. Service users are named `node:<id>` and
 * `local-admin`, so no person can take a name that looks like one.
 */
export const userNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected 1–64 letters, digits, . _ -')
  .refine((name) => name !== 'local-admin', 'local-admin is reserved');

/** Long enough to resist guessing with throttled logins; the cap bounds hashing cost. */
export const passwordSchema = z.string().min(10, 'expected at least 10 characters').max(1_024);

export const roleSchema = z.enum(ROLES);

export const totpCodeSchema = z.string().regex(/^\d{6}$/, 'expected the 6-digit code');

export const loginInput = z
  .object({
    name: z.string().min(1).max(64),
    password: z.string().min(1).max(1_024),
    totp: totpCodeSchema.optional(),
  })
  .strict();
export type LoginInput = z.output<typeof loginInput>;

export const setupInput = z
  .object({
    setupToken: z.string().min(1).max(256),
    name: userNameSchema,
    password: passwordSchema,
  })
  .strict();
export type SetupInput = z.output<typeof setupInput>;

export const createUserInput = z
  .object({ name: userNameSchema, role: roleSchema, password: passwordSchema })
  .strict();
export type CreateUserInput = z.output<typeof createUserInput>;

export const updateUserInput = z
  .object({
    id: z.string().min(1),
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .strict();
export type UpdateUserInput = z.output<typeof updateUserInput>;

const MAX_TOKEN_LIFETIME_MS = 5 * 365 * 86_400_000;

/** A token lifetime such as `30d`, or absent for a token that does not expire. */
export const tokenLifetimeSchema = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 60_000 || ms > MAX_TOKEN_LIFETIME_MS) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration between 1m and 5y, e.g. 30d' });
    return z.NEVER;
  }
  return ms;
});

export const createTokenInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    access: z.enum(['read', 'write']).default('read'),
    expires: tokenLifetimeSchema.optional(),
  })
  .strict();
export type CreateTokenInput = z.output<typeof createTokenInput>;
