import type { CheckResult } from '../../domain/check-result.ts';
import { downResult, upResult } from '../outcome.ts';
import type { CheckDefinition } from '../types.ts';
import type { PushEvaluation } from './evaluate.ts';
import { evaluatePush } from './evaluate.ts';
import type { PushOptions } from './options.ts';
import {
  PUSH_SECRET_OPTIONS,
  pushFlags,
  pushOptionsSchema,
  redactPushOptions,
  scheduleOf,
} from './options.ts';
import { EMPTY_PUSH_STATE } from './state.ts';
import { pushTargetSchema } from './target.ts';

/**
 * The `push` (heartbeat) check: a job calls the monitor's secret URL; the coordinator judges
 * the pings (`app/coordinator-push.ts`). Run on its own (`crosscheck check push`), it evaluates
 * the schedule against `lastPing` (or none), so a user sees when the next ping is due.
 */
export const pushCheck: CheckDefinition<PushOptions> = {
  type: 'push',
  description:
    'heartbeat: a job calls the monitor’s secret URL; down when a ping is late or says fail',
  targetSchema: pushTargetSchema,
  optionsSchema: pushOptionsSchema,
  defaultTimeoutMs: 10_000,
  flags: pushFlags,
  // Switching schedule kind on update: the other kind's key is dropped, not merged into a conflict.
  exclusiveOptions: [['periodMs', 'cron']],
  secretOptions: PUSH_SECRET_OPTIONS,
  redact: redactPushOptions,
  // A heartbeat has no target of its own: a job's silence shares nothing visible.
  sharedCauses: () => [],
  // Its state is the pings the coordinator's API receives on the main thread.
  mainThreadOnly: true,
  run: (_target, options) => Promise.resolve(runPushCheck(options, Date.now())),
};

/** Evaluates the schedule as `crosscheck check push` sees it: the given last ping, no restart. */
export function runPushCheck(options: PushOptions, now: number): CheckResult {
  const lastPing = options.lastPing;
  const state =
    lastPing === undefined
      ? EMPTY_PUSH_STATE
      : { ...EMPTY_PUSH_STATE, lastPingAt: lastPing, lastStatus: 'up' as const };
  const evaluation = evaluatePush(state, scheduleOf(options), {
    now,
    createdAt: lastPing ?? now,
    coordinatorStartedAt: Number.NEGATIVE_INFINITY,
  });
  const note =
    lastPing === undefined
      ? ' (a push monitor is judged by the pings its job sends; pass --last-ping to judge a time)'
      : '';
  return pushResult({ ...evaluation, message: evaluation.message + note });
}

/** The one result shape for an evaluation; latency is 0 (nothing is contacted). */
export function pushResult(evaluation: PushEvaluation): CheckResult {
  if (evaluation.status === 'up') return upResult(0, evaluation.message, {}, evaluation.details);
  const kind = evaluation.cause === 'fail' ? 'assertion' : 'timeout';
  return downResult(kind, 0, evaluation.message, {}, evaluation.details);
}
