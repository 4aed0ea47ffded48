import { z } from 'zod';
import type { ErrorCode } from '../../lib/errors.ts';
import { AppError, ERROR_CODES } from '../../lib/errors.ts';

/**
 * The CA key hand-over (CA_KEY_ALPN): a just-enrolled coordinator, proven by its client
 * certificate, sends one request line and gets one answer line. A CA key in PEM is a few
 * kilobytes; the bound stops a peer from making either side buffer without end.
 */
export const MAX_CA_KEY_LINE_BYTES = 64 * 1024;

export const caKeyRequestSchema = z.object({ ask: z.literal('ca-key') }).strict();
export type CaKeyRequest = z.infer<typeof caKeyRequestSchema>;

export const CA_KEY_REQUEST: CaKeyRequest = { ask: 'ca-key' };

export const caKeyResponseSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), caKeyPem: z.string().min(1).max(32_768) }),
  z.object({
    ok: z.literal(false),
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
    message: z.string().max(1_000),
  }),
]);
export type CaKeyResponse = z.infer<typeof caKeyResponseSchema>;

/** Parses the request line; VALIDATION when it is anything else. */
export function parseCaKeyRequest(line: string): CaKeyRequest {
  const parsed = caKeyRequestSchema.safeParse(parseJson(line));
  if (!parsed.success) throw new AppError('VALIDATION', 'CA key request: unexpected request');
  return parsed.data;
}

/** Parses the coordinator's answer; a refusal becomes the AppError it describes. */
export function parseCaKeyResponse(line: string): string {
  const parsed = caKeyResponseSchema.safeParse(parseJson(line));
  if (!parsed.success)
    throw new AppError('UNAVAILABLE', 'the coordinator sent an unexpected CA key answer');
  if (!parsed.data.ok) throw new AppError(parsed.data.code, parsed.data.message);
  return parsed.data.caKeyPem;
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
