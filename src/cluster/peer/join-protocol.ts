import { z } from 'zod';
import type { ErrorCode } from '../../lib/errors.ts';
import { AppError, ERROR_CODES } from '../../lib/errors.ts';

/** A join request travels as one JSON line on a JOIN_ALPN connection, answered by one line. */
export const MAX_JOIN_LINE_BYTES = 64 * 1024;

const labelsSchema = z.record(z.string().trim().min(1).max(64), z.string().trim().min(1).max(128));

/** What a joining node sends. */
export const joinRequestSchema = z
  .object({
    tokenId: z.string().min(1).max(64),
    secret: z.string().min(1).max(256),
    csrPem: z.string().min(1).max(16_384),
    name: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore only'),
    region: z.string().trim().min(1).max(64).nullable(),
    labels: labelsSchema,
    version: z.string().max(64),
    /**
     * What the joiner asks to become; absent (every agent before coordinators could join):
     * an agent. Must match the token's kind, which decides.
     */
    role: z.enum(['agent', 'coordinator']).optional(),
  })
  .strict();

export type JoinRequest = z.infer<typeof joinRequestSchema>;

/** What the coordinator answers. */
export const joinResponseSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    nodeId: z.string(),
    certPem: z.string(),
    caCertPem: z.string(),
    coordinatorName: z.string(),
    /** The node's API token on the coordinator (its CLI's forwarded calls); shown only here. */
    operatorToken: z.string().min(1).max(256).optional(),
  }),
  z.object({
    ok: z.literal(false),
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
  }),
]);

export type JoinResponse = z.infer<typeof joinResponseSchema>;

/** Parses a join request line; VALIDATION naming the field. */
export function parseJoinRequest(line: string): JoinRequest {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new AppError('VALIDATION', 'join request: not JSON');
  }
  const parsed = joinRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'VALIDATION',
      `join request: ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/** Parses the coordinator's answer; a refusal becomes the AppError it describes. */
export function parseJoinResponse(line: string): Extract<JoinResponse, { ok: true }> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new AppError('UNAVAILABLE', 'the coordinator sent an unreadable join answer');
  }
  const parsed = joinResponseSchema.safeParse(json);
  if (!parsed.success)
    throw new AppError('UNAVAILABLE', 'the coordinator sent an unexpected join answer');
  if (!parsed.data.ok) throw new AppError(parsed.data.code, parsed.data.message);
  return parsed.data;
}
