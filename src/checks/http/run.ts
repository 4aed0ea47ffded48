import type { CheckResult } from '../../domain/check-result.ts';
import type { CheckContext } from '../types.ts';
import { performHttpExchange } from './exchange.ts';
import type { HttpExchange } from './exchange.ts';
import type { HttpOptions } from './options.ts';
import { acceptsStatus, judgeHttpExchange } from './verdict.ts';
import type { BodyFailure } from './verdict.ts';

/**
 * What an HTTP-based check type adds to a plain request: how much body to keep, and a test of
 * it (asynchronous: a user's pattern may run in a worker, see checks/pattern-evaluator.ts).
 */
export interface HttpCheckPlan {
  keepBodyBytes: number;
  assertBody?: (exchange: HttpExchange) => Promise<BodyFailure | undefined>;
}

/** Runs an HTTP-family check: one exchange, then status, body assertion and speed are judged. */
export async function runHttpBasedCheck(
  target: string,
  options: HttpOptions,
  ctx: CheckContext,
  plan: HttpCheckPlan = { keepBodyBytes: 0 },
): Promise<CheckResult> {
  const outcome = await performHttpExchange(target, options, ctx, plan.keepBodyBytes);
  if (!outcome.ok) return outcome.result;
  const { exchange } = outcome;
  // The status is judged first: a body is only tested when the status was the expected one.
  const failure =
    plan.assertBody !== undefined && acceptsStatus(exchange.statusCode, options)
      ? await plan.assertBody(exchange)
      : undefined;
  return judgeHttpExchange(
    exchange,
    options,
    Date.now(),
    failure === undefined ? undefined : () => failure,
  );
}
