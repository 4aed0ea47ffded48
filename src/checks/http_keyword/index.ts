import {
  BODY_KEEP_LIMIT,
  HTTP_DEFAULT_TIMEOUT_MS,
  httpFlags,
  httpTargetSchema,
  HTTP_SECRET_OPTIONS,
  redactHttpOptions,
  runHttpBasedCheck,
} from '../http/index.ts';
import type { CheckDefinition } from '../types.ts';
import { keywordFailure } from './match.ts';
import { httpKeywordOptionsSchema, keywordFlags } from './options.ts';
import type { HttpKeywordOptions } from './options.ts';

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
      assertBody: (exchange) =>
        keywordFailure(exchange.body.toString('utf8'), options, exchange.bodyTruncated),
    }),
};
