import type { ErrorKind } from '../domain/check-result.ts';

/**
 * Work on a user's pattern whose cost depends on the pattern (a backtracking regex, a JSONPath
 * with wildcards or recursive descent): it runs off the main thread, under a deadline, so no
 * monitor can stall the daemon (docs/adr/0005-pattern-isolation.md).
 */
export type PatternTask =
  | { kind: 'regex'; source: string; flags: string; text: string }
  | { kind: 'json'; body: string; truncated: boolean; assertions: readonly string[] };

/** What each kind of task answers: whether the regex matched; the JSON body's failure, if any. */
export interface PatternAnswers {
  regex: boolean;
  json: string | undefined;
}

/**
 * How a task ended: answered; over its deadline (the worker running it was terminated);
 * cancelled (the check's own signal aborted, or the pool closed); or failed because of this
 * node (the worker crashed or ran out of memory).
 */
export type PatternOutcome<T> =
  | { status: 'done'; value: T }
  | { status: 'timed-out'; deadlineMs: number }
  | { status: 'cancelled' }
  | { status: 'failed'; reason: string };

/** Runs pattern tasks where they cannot block the caller's thread. */
export interface PatternEvaluator {
  evaluate<K extends PatternTask['kind']>(
    task: Extract<PatternTask, { kind: K }>,
    signal: AbortSignal,
  ): Promise<PatternOutcome<PatternAnswers[K]>>;
}

/**
 * Most CPU time a pattern may take on one check's data. The monitor's timeout still bounds the
 * wall time: a pattern unanswered when it passes has timed out too.
 */
export const PATTERN_DEADLINE_MS = 200;

/** Longest regex (or keyword) a monitor may carry, in characters. */
export const MAX_PATTERN_LENGTH = 1000;

/** The message prefix of a result whose pattern ran out of time (error kind `pattern`). */
export const PATTERN_TIMED_OUT = 'pattern timed out';

/** Why a check could not judge the target with its pattern: its error kind and message. */
export interface PatternProblem {
  errorKind: ErrorKind;
  message: string;
}

/**
 * A pattern task that gave no answer, as a check's failure: over its deadline, or still
 * unanswered when the check's timeout passed, is kind `pattern` (`what` names the pattern,
 * `textLength` the characters it ran on); a crashed worker is this node's fault.
 */
export function patternFailure(
  outcome: Exclude<PatternOutcome<unknown>, { status: 'done' }>,
  what: string,
  textLength: number,
): PatternProblem {
  switch (outcome.status) {
    case 'timed-out':
      return {
        errorKind: 'pattern',
        message: `${PATTERN_TIMED_OUT}: ${what} ran over ${outcome.deadlineMs} ms on ${textLength} characters`,
      };
    case 'cancelled':
      // The check's own timeout passed (a shutdown's results are discarded): the pattern, or
      // the patterns queued ahead of it, took the time the monitor allows.
      return {
        errorKind: 'pattern',
        message: `${PATTERN_TIMED_OUT}: ${what} did not finish within the check's timeout`,
      };
    case 'failed':
      return { errorKind: 'node', message: outcome.reason };
  }
}
