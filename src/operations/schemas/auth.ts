import { z } from 'zod';
import { ROLES } from '../kit.ts';

/** A user as the API shows it: never a password hash or TOTP secret. */
export const userViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  kind: z.enum(['person', 'local', 'node']),
  totp: z.boolean().describe('a TOTP second factor is on'),
  createdAt: z.number(),
  disabledAt: z.number().nullable(),
});

/** A token as the API lists it: never the token or its hash. */
export const tokenViewSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  access: z.enum(['read', 'write']),
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
  lastUsedAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});

/** A token just made: its value is in this answer and nowhere else, ever. */
export const createdTokenSchema = tokenViewSchema.extend({
  token: z.string().describe('the token; shown once, store it now'),
});

export const totpEnrolmentSchema = z.object({
  secret: z.string().describe('base32 secret; shown once'),
  uri: z.string().describe('otpauth:// URI for an authenticator app (QR code)'),
});
