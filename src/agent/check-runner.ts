import { classifyNetworkError, downResult } from '../checks/outcome.ts';
import type { PatternEvaluator } from '../checks/pattern-evaluator.ts';
import { oneShotPatterns } from '../checks/patterns/pool.ts';
import { getCheck } from '../checks/registry.ts';
import type { BrowserPool } from '../checks/browser/pool.ts';
import type { CheckDefinition, CheckType } from '../checks/types.ts';
import type { CheckResult } from '../domain/check-result.ts';
import { followAbort, unfollowAbort } from '../lib/abort-fan-out.ts';
import type { Logger } from '../observability/logger.ts';

/** What is needed to run one check: the monitor's type, target, options and timeout. */
export interface CheckSpec {
  type: CheckType;
  target: string;
  options: Record<string, unknown>;
  timeoutMs: number;
}

/** Grace past the timeout before the runner gives up on a check that ignores its signal. */
const HARD_STOP_GRACE_MS = 1_000;

export interface RunCheckOptions {
  signal?: AbortSignal;
  /**
   * Where user patterns run: the node's shared pool. Without one, each pattern gets a worker
   * of its own for the task (fine for one-off checks, too slow for a daemon).
   */
  patterns?: PatternEvaluator;
  /** The node's Chromium for browser checks; without one a browser check starts its own. */
  browsers?: BrowserPool;
  logger?: Logger;
  monitorId?: string;
}

/** Runs one check; see `runCheck`. */
export type CheckRunner = (spec: CheckSpec, options?: RunCheckOptions) => Promise<CheckResult>;

/** Where a runner finds a check type's definition (the registry, unless a test swaps one). */
export type CheckLookup = (type: CheckType) => CheckDefinition<unknown>;

/**
 * Builds a check runner over `lookup`. Tests pass a lookup whose icmp check points at a missing
 * binary, to run a whole node whose checks fail because of the node.
 */
export function createCheckRunner(lookup: CheckLookup = getCheck): CheckRunner {
  return (spec, options = {}) => runWith(lookup(spec.type), spec, options);
}

/**
 * Runs one check with its timeout and an outer abort signal. Always resolves to a result:
 * a check that throws is a bug, reported as `down`/`network` and logged, never propagated —
 * unless the error says this node ran out of something (EMFILE…), which is the node's `error`.
 */
export const runCheck: CheckRunner = createCheckRunner();

function runWith(
  definition: CheckDefinition<unknown>,
  spec: CheckSpec,
  options: RunCheckOptions,
): Promise<CheckResult> {
  const controller = new AbortController();
  const started = performance.now();
  const outer = options.signal;
  if (outer !== undefined) followAbort(outer, controller);
  // One promise and, until the timeout passes, one timer per check: the hard stop is armed only
  // when the timeout fires (no second timer, deadline promise or Promise.race per check).
  return new Promise<CheckResult>((resolve) => {
    let hardStop: ReturnType<typeof setTimeout> | undefined;
    const timeout = setTimeout(() => {
      controller.abort(new Error('timeout'));
      hardStop = setTimeout(() => {
        finish();
        resolve(
          downResult(
            'timeout',
            performance.now() - started,
            `timed out after ${spec.timeoutMs} ms`,
          ),
        );
      }, HARD_STOP_GRACE_MS);
    }, spec.timeoutMs);
    function finish(): void {
      clearTimeout(timeout);
      clearTimeout(hardStop);
      if (outer !== undefined) unfollowAbort(outer, controller);
    }
    const onResult = (result: CheckResult): void => {
      finish();
      resolve(result);
    };
    const onThrow = (error: unknown): void => {
      finish();
      options.logger?.error(
        { err: error, monitorId: options.monitorId, type: spec.type },
        'check threw instead of returning a result',
      );
      const { kind, message } = classifyNetworkError(error);
      resolve(downResult(kind, performance.now() - started, message));
    };
    try {
      definition
        .run(spec.target, spec.options, {
          timeoutMs: spec.timeoutMs,
          signal: controller.signal,
          patterns: options.patterns ?? oneShotPatterns,
          ...(options.browsers === undefined ? {} : { browsers: options.browsers }),
        })
        .then(onResult, onThrow);
    } catch (error) {
      onThrow(error);
    }
  });
}
