import type { Clock } from '../lib/clock.ts';
import type { LagSummary } from './lag-window.ts';

/**
 * What the scheduler needs to know about a job. Callers extend it with their own payload
 * (e.g. `{ id, intervalMs, timeoutMs, payload: monitor }`, or a `Monitor` itself); the
 * scheduler hands the latest upserted object back to `run` untouched.
 */
export interface SchedulerJob {
  readonly id: string;
  /** Positive whole milliseconds. */
  readonly intervalMs: number;
  /** The run's own time limit; the scheduler uses it only to bound `stop()`. */
  readonly timeoutMs: number;
}

/**
 * Why planned slots were not run. `busy`: the job's previous run was still in flight or still
 * waiting for a concurrency slot. `late`: the scheduler's timer fired after later slots had
 * already passed (event-loop stall, suspended host, wall clock jumped forward).
 */
export type SkipReason = 'busy' | 'late';

/** Reported through `onSkip`; `slots` grid points starting at `plannedAt` were skipped. */
export interface SkippedSlots<J extends SchedulerJob> {
  job: J;
  plannedAt: number;
  slots: number;
  reason: SkipReason;
}

/** The part of a pino logger the scheduler uses. */
export interface SchedulerLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Dependencies and settings of one scheduler. */
export interface SchedulerOptions<J extends SchedulerJob> {
  clock: Clock;
  /** Most runs in flight at once, across all jobs (a positive integer). */
  concurrency: number;
  /**
   * Runs a job once for its planned slot (`plannedAt`, epoch ms). Expected to turn every check
   * failure into a result; a throw or rejection is treated as a bug: logged, counted, survived.
   */
  run: (job: J, plannedAt: number) => Promise<void>;
  onSkip?: (skipped: SkippedSlots<J>) => void;
  logger?: SchedulerLogger;
  /** Longest `stop()` waits for in-flight runs; default: largest in-flight `timeoutMs` + 5 s. */
  stopTimeoutMs?: number;
}

/** Counters and gauges for metrics and health. */
export interface SchedulerStats {
  jobs: number;
  inFlight: number;
  /** Runs that are due but waiting for a concurrency slot. */
  queued: number;
  runsStarted: number;
  runsCompleted: number;
  /** Runs whose `run` threw or rejected (bugs; they still count as completed). */
  runsFailed: number;
  /** Planned slots not run (see SkipReason), counted per slot. */
  runsSkipped: number;
  /** Actual start − planned start over the most recent runs. */
  lagMs: LagSummary;
}

/** What `runNow` did: started at once, queued for a slot, or refused and why. */
export type RunNowOutcome = 'started' | 'queued' | 'busy' | 'unknown' | 'stopped';

/** Runs every job on its own fixed grid with a global concurrency limit. */
export interface Scheduler<J extends SchedulerJob> {
  /** Adds a job or replaces it; a changed interval re-plans from the new grid at once. */
  upsert(job: J): void;
  /** Removes a job; its in-flight run may finish, but nothing further is planned. */
  remove(id: string): boolean;
  /** True when a job with this id is scheduled. */
  has(id: string): boolean;
  /** Plans every job's next slot and arms the timer. Idempotent. */
  start(): void;
  /** Stops planning, drops queued runs, and waits (bounded) for in-flight runs. */
  stop(): Promise<void>;
  stats(): SchedulerStats;
  /** One immediate run outside the grid, unless the job already has a run in flight or queued. */
  runNow(id: string): RunNowOutcome;
}
