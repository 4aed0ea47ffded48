import { nodeErrorResult } from '../../checks/outcome.ts';
import type { CheckResult } from '../../domain/check-result.ts';
import type { FreshCanaryStatus } from './canaries.ts';

/**
 * A failing result judged against this node's canaries as of now (pure): while most of them
 * fail, the node's own network is the likely cause, so the result becomes an `error` of this
 * node (naming the canaries, keeping what the check said) instead of a failure of the target.
 */
export function judgeByCanaries(result: CheckResult, health: FreshCanaryStatus): CheckResult {
  if (!health.majorityFailing) return result;
  const message =
    `this node's canaries fail (${health.failing} of ${health.total}: ` +
    `${health.failingNames.join(', ')}): its own network is down; the check said: ${result.message}`;
  return {
    ...nodeErrorResult(result.latencyMs, message, {
      ...result.details,
      targetStatus: result.status,
      targetErrorKind: result.errorKind ?? null,
    }),
    timings: result.timings,
  };
}
