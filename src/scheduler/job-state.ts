import { phaseOffset } from './plan.ts';
import type { SchedulerJob } from './types.ts';

/** `waiting`: due, holding a place in the concurrency queue. `running`: run in flight. */
export type JobStatus = 'idle' | 'waiting' | 'running';

/** The scheduler's bookkeeping for one job. */
export interface JobState<J extends SchedulerJob> {
  job: J;
  phaseMs: number;
  status: JobStatus;
  /** False once removed; a removed job's in-flight run finishes without a successor. */
  active: boolean;
  /** Settlement handlers made once per job, so a run allocates no closures of its own. */
  readonly onSettled: () => void;
  readonly onFailed: (error: unknown) => void;
}

/** Settlement callbacks the scheduler supplies for a job's runs. */
export interface SettleHandlers<J extends SchedulerJob> {
  settled(state: JobState<J>): void;
  failed(state: JobState<J>, error: unknown): void;
}

/** Fresh state for a job, not yet planned. */
export function createJobState<J extends SchedulerJob>(
  job: J,
  handlers: SettleHandlers<J>,
): JobState<J> {
  const state: JobState<J> = {
    job,
    phaseMs: phaseOffset(job.id, job.intervalMs),
    status: 'idle',
    active: true,
    onSettled: () => handlers.settled(state),
    onFailed: (error: unknown) => handlers.failed(state, error),
  };
  return state;
}
