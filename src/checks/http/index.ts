import type { CheckDefinition } from '../types.ts';
import { httpFlags } from './flags.ts';
import { httpOptionsSchema } from './options.ts';
import type { HttpOptions } from './options.ts';
import { HTTP_SECRET_OPTIONS, redactHttpOptions } from './redact.ts';
import { runHttpBasedCheck } from './run.ts';
import { httpTargetSchema, httpsTargetSchema } from './target.ts';

/** Default timeout of the HTTP-family checks, redirects and body included. */
export const HTTP_DEFAULT_TIMEOUT_MS = 10_000;

/** `http`: request a URL (http or https) and judge status, redirects and response time. */
export const httpCheck: CheckDefinition<HttpOptions> = {
  type: 'http',
  description: 'HTTP(S) request: expected status, redirects, response time',
  targetSchema: httpTargetSchema,
  optionsSchema: httpOptionsSchema,
  defaultTimeoutMs: HTTP_DEFAULT_TIMEOUT_MS,
  flags: httpFlags,
  secretOptions: HTTP_SECRET_OPTIONS,
  redact: redactHttpOptions,
  run: (target, options, ctx) => runHttpBasedCheck(target, options, ctx),
};

/** `https`: the same check, restricted to https:// URLs; records the certificate's days left. */
export const httpsCheck: CheckDefinition<HttpOptions> = {
  ...httpCheck,
  type: 'https',
  description: 'HTTPS request: as http, plus certificate expiry recorded',
  targetSchema: httpsTargetSchema,
};

export { BODY_KEEP_LIMIT } from './body.ts';
export { performHttpExchange } from './exchange.ts';
export type { HttpExchange, HttpExchangeOutcome, HttpRequestOptions } from './exchange.ts';
export { runHttpBasedCheck } from './run.ts';
export type { HttpCheckPlan } from './run.ts';
export type { BodyAssertion, BodyFailure } from './verdict.ts';
export { httpOptionFields, httpOptionsSchema } from './options.ts';
export type { HttpOptions } from './options.ts';
export { httpFlags } from './flags.ts';
export { HTTP_SECRET_OPTIONS, redactHttpOptions } from './redact.ts';
export { httpTargetSchema, httpsTargetSchema } from './target.ts';
