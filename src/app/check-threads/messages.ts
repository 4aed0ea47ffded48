/**
 * What the node's main thread and its check threads say to each other. Both sides are this
 * code base, so the hot path (results) is typed, not parsed; only the thread's start data,
 * the one input it reads before anything else, is validated (`check-thread.ts`).
 */
import type { CheckResult } from '../../domain/check-result.ts';
import type { CheckSpec } from '../../agent/check-runner.ts';
import type { SchedulerStats } from '../../scheduler/types.ts';

/** One monitor as a check thread needs it: what to check and when, nothing else. */
export interface ThreadJob extends CheckSpec {
  id: string;
  intervalMs: number;
}

/** Main → check thread. */
export type ToThread =
  | { kind: 'upsert'; jobs: ThreadJob[] }
  | { kind: 'remove'; ids: string[] }
  | { kind: 'run-now'; id: string }
  | { kind: 'start' }
  /** Aborts running checks, flushes what finished, answers `stopped`. */
  | { kind: 'stop' };

/** One finished check, before the main thread judges and records it. */
export interface ThreadResult {
  monitorId: string;
  plannedAt: number;
  checkedAt: number;
  result: CheckResult;
}

/** Check thread → main. */
export type FromThread =
  | { kind: 'results'; results: ThreadResult[]; stats: SchedulerStats }
  /** One pino line of the thread's logger, logged again by the node's logger. */
  | { kind: 'log'; line: string }
  | { kind: 'stopped'; stats: SchedulerStats };

/** Start data of a check thread. */
export interface CheckThreadData {
  /** Checks in flight at once on this thread. */
  concurrency: number;
  logLevel: string;
}
