import type { CheckResult } from '../../domain/check-result.ts';
import {
  BODY_KEEP_LIMIT,
  HTTP_DEFAULT_TIMEOUT_MS,
  httpFlags,
  httpTargetSchema,
  HTTP_SECRET_OPTIONS,
  redactHttpOptions,
  runHttpBasedCheck,
} from '../http/index.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { parseJsonAssertion } from './assertion.ts';
import type { JsonAssertion } from './assertion.ts';
import { jsonBodyFailure } from './body.ts';
import { httpJsonOptionsSchema, jsonFlags } from './options.ts';
import type { HttpJsonOptions } from './options.ts';

/** Runs an http_json check: the http check, then the body must be JSON satisfying every assertion. */
function runHttpJsonCheck(
  target: string,
  options: HttpJsonOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const assertions = options.assertions.map(toAssertion);
  return runHttpBasedCheck(target, options, ctx, {
    keepBodyBytes: BODY_KEEP_LIMIT,
    assertBody: (exchange) => jsonBodyFailure(exchange, assertions),
  });
}

/** Options were validated by the schema, so a parse failure here is a bug, not a down target. */
function toAssertion(text: string): JsonAssertion {
  const parsed = parseJsonAssertion(text);
  if (!parsed.ok)
    throw new Error(`http_json assertion was not validated: ${text}: ${parsed.reason}`);
  return parsed.assertion;
}

/** `http_json`: an http check whose JSON body must satisfy JSONPath assertions. */
export const httpJsonCheck: CheckDefinition<HttpJsonOptions> = {
  type: 'http_json',
  description: 'HTTP(S) request whose JSON body must satisfy assertions such as $.status == "ok"',
  targetSchema: httpTargetSchema,
  optionsSchema: httpJsonOptionsSchema,
  defaultTimeoutMs: HTTP_DEFAULT_TIMEOUT_MS,
  flags: [...httpFlags, ...jsonFlags],
  secretOptions: HTTP_SECRET_OPTIONS,
  redact: redactHttpOptions,
  run: runHttpJsonCheck,
};
