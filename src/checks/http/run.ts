import type { CheckResult } from '../../domain/check-result.ts';
import type { CheckContext } from '../types.ts';
import { performHttpExchange } from './exchange.ts';
import type { HttpOptions } from './options.ts';
import { judgeHttpExchange } from './verdict.ts';
import type { BodyAssertion } from './verdict.ts';

/** What an HTTP-based check type adds to a plain request: how much body to keep, and a test of it. */
export interface HttpCheckPlan {
  keepBodyBytes: number;
  assertBody?: BodyAssertion;
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
  return judgeHttpExchange(outcome.exchange, options, Date.now(), plan.assertBody);
}
