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
import type { BodyFailure, HttpExchange } from '../http/index.ts';
import { patternFailure } from '../pattern-evaluator.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { allPathsDirect, jsonBodyFailure, toAssertion } from './body.ts';
import { httpJsonOptionsSchema, jsonFlags } from './options.ts';
import type { HttpJsonOptions } from './options.ts';

/** Runs an http_json check: the http check, then the body must be JSON satisfying every assertion. */
function runHttpJsonCheck(
  target: string,
  options: HttpJsonOptions,
  ctx: CheckContext,
): Promise<CheckResult> {
  const assertions = options.assertions.map(toAssertion);
  const inline = allPathsDirect(assertions);
  return runHttpBasedCheck(target, options, ctx, {
    keepBodyBytes: BODY_KEEP_LIMIT,
    assertBody: (exchange) =>
      inline
        ? Promise.resolve(jsonBodyFailure(exchange, assertions))
        : jsonFailureInWorker(exchange, options.assertions, ctx),
  });
}

/** Paths that may walk the whole document are evaluated by a pattern worker, under a deadline. */
async function jsonFailureInWorker(
  exchange: HttpExchange,
  assertions: readonly string[],
  ctx: CheckContext,
): Promise<BodyFailure | undefined> {
  const body = exchange.body.toString('utf8');
  const task = { kind: 'json' as const, body, truncated: exchange.bodyTruncated, assertions };
  const outcome = await ctx.patterns.evaluate(task, ctx.signal);
  if (outcome.status === 'done') return outcome.value;
  return patternFailure(outcome, 'the JSON assertions', body.length);
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
