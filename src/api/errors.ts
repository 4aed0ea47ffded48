import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../lib/errors.ts';
import { isAppError } from '../lib/errors.ts';

/** The HTTP status of each error code; the OpenAPI document lists them from here. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  RATE_LIMITED: 429,
  STORAGE_FULL: 503,
  // Not 409: nothing is wrong with the request, this coordinator lost the leader lease; the
  // same call succeeds on the new leader (or here after failover settles), so "retry" (503).
  FENCED: 503,
};

/** The JSON error body every API error has. */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; issues: { path: string; message: string }[] };
}

/** Maps any thrown error to a status and body once; unknown errors never leak their message. */
export function handleApiError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (isAppError(error)) {
    if (error.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(error.retryAfterSeconds));
    void reply.status(HTTP_STATUS[error.code]).send({
      error: { code: error.code, message: error.message, issues: [...error.issues] },
    } satisfies ApiErrorBody);
    return;
  }
  const fastifyError = error as FastifyError;
  if (
    fastifyError.statusCode !== undefined &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    const message =
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
        ? 'request body is not valid JSON'
        : fastifyError.message;
    void reply.status(fastifyError.statusCode).send({
      error: { code: 'VALIDATION', message, issues: [{ path: 'body', message }] },
    } satisfies ApiErrorBody);
    return;
  }
  request.log.error({ err: error }, 'unhandled API error');
  void reply.status(500).send({
    error: { code: 'INTERNAL', message: 'internal error', issues: [] },
  } satisfies ApiErrorBody);
}
