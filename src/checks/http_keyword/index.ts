import {
  BODY_KEEP_LIMIT,
  HTTP_DEFAULT_TIMEOUT_MS,
  httpFlags,
  httpTargetSchema,
  HTTP_SECRET_OPTIONS,
  redactHttpOptions,
  runHttpBasedCheck,
} from '../http/index.ts';
import type { BodyFailure, HttpExchange } from '../http/index.ts';
import { patternFailure } from '../pattern-evaluator.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { describeRule, findInBody, keywordFailure } from './match.ts';
import { httpKeywordOptionsSchema, keywordFlags } from './options.ts';
import type { HttpKeywordOptions } from './options.ts';

/** The keyword or regex searched in the body; a regex that runs too long is kind `pattern`. */
async function keywordBodyFailure(
  exchange: HttpExchange,
  options: HttpKeywordOptions,
  ctx: CheckContext,
): Promise<BodyFailure | undefined> {
  const body = exchange.body.toString('utf8');
  const outcome = await findInBody(body, options, ctx.patterns, ctx.signal);
  if (outcome.status === 'done')
    return keywordFailure(outcome.value, options, exchange.bodyTruncated);
  return patternFailure(outcome, describeRule(options), body.length);
}

/** `http_keyword`: an http check whose body must contain (or, inverted, lack) a keyword or regex. */
export const httpKeywordCheck: CheckDefinition<HttpKeywordOptions> = {
  type: 'http_keyword',
  description: 'HTTP(S) request whose body must contain (or lack) a keyword or regex',
  targetSchema: httpTargetSchema,
  optionsSchema: httpKeywordOptionsSchema,
  defaultTimeoutMs: HTTP_DEFAULT_TIMEOUT_MS,
  flags: [...httpFlags, ...keywordFlags],
  secretOptions: HTTP_SECRET_OPTIONS,
  redact: redactHttpOptions,
  exclusiveOptions: [['keyword', 'regex']],
  run: (target, options, ctx) =>
    runHttpBasedCheck(target, options, ctx, {
      keepBodyBytes: BODY_KEEP_LIMIT,
      assertBody: (exchange) => keywordBodyFailure(exchange, options, ctx),
    }),
};
