import type { Clock } from '../lib/clock.ts';
import { DueQueue } from './due-queue.ts';
import { IdleGate } from './idle-gate.ts';
import { createJobState } from './job-state.ts';
import type { JobState, SettleHandlers } from './job-state.ts';
import { LagWindow } from './lag-window.ts';
import { gridStepsBetween, nextRunAfter, phaseOffset } from './plan.ts';
import type {
  RunNowOutcome,
  Scheduler,
  SchedulerJob,
  SchedulerLogger,
  SchedulerOptions,
  SchedulerStats,
  SkipReason,
  SkippedSlots,
} from './types.ts';
import { assertValidJob, assertValidOptions } from './validate.ts';
import { WakeTimer } from './wake-timer.ts';

/** A wall clock that moved back further than this re-plans every job from the new time. */
const BACKWARD_JUMP_TOLERANCE_MS = 1_000;
/** Added to the largest in-flight timeout when `stop()` has no explicit bound. */
const STOP_GRACE_MS = 5_000;

const silentLogger: SchedulerLogger = { warn: () => {}, error: () => {} };

/** Creates a scheduler: one timer, one due-queue, a global concurrency limit. Call `start()` to run. */
export function createScheduler<J extends SchedulerJob>(
  options: SchedulerOptions<J>,
): Scheduler<J> {
  assertValidOptions(options);
  return new GridScheduler(options);
}

class GridScheduler<J extends SchedulerJob> implements Scheduler<J>, SettleHandlers<J> {
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly runJob: (job: J, plannedAt: number) => Promise<void>;
  private readonly onSkip: ((skipped: SkippedSlots<J>) => void) | undefined;
  private readonly logger: SchedulerLogger;
  private readonly stopTimeoutMs: number | undefined;

  private readonly jobs = new Map<string, JobState<J>>();
  /** Removed jobs whose run is still in flight; re-adding the id resumes this state, so it never runs twice at once. */
  private readonly retiring = new Map<string, JobState<J>>();
  /** Each job's next planned slot. */
  private readonly due = new DueQueue();
  /** Due runs waiting for a concurrency slot, oldest planned time first. */
  private readonly waiting = new DueQueue();
  private readonly lag = new LagWindow();
  private readonly idle = new IdleGate();
  private readonly timer: WakeTimer;

  private started = false;
  private ticking = false;

  private inFlight = 0;
  private runsStarted = 0;
  private runsCompleted = 0;
  private runsFailed = 0;
  private runsSkipped = 0;

  constructor(options: SchedulerOptions<J>) {
    this.clock = options.clock;
    this.concurrency = options.concurrency;
    this.runJob = options.run;
    this.onSkip = options.onSkip;
    this.logger = options.logger ?? silentLogger;
    this.stopTimeoutMs = options.stopTimeoutMs;
    this.timer = new WakeTimer(this.clock, () => this.onWake());
  }

  upsert(job: J): void {
    assertValidJob(job);
    const existing = this.jobs.get(job.id);
    if (existing) {
      const intervalChanged = existing.job.intervalMs !== job.intervalMs;
      existing.job = job;
      if (intervalChanged) {
        existing.phaseMs = phaseOffset(job.id, job.intervalMs);
        this.plan(existing);
      }
      return;
    }
    const state = this.revive(job) ?? createJobState(job, this);
    this.jobs.set(job.id, state);
    this.plan(state);
  }

  remove(id: string): boolean {
    const state = this.jobs.get(id);
    if (!state) return false;
    this.jobs.delete(id);
    this.due.delete(id);
    state.active = false;
    if (state.status === 'waiting') {
      this.waiting.delete(id);
      state.status = 'idle';
    }
    if (state.status === 'running') this.retiring.set(id, state);
    // The timer may now fire with nothing due; it then simply re-arms for the new head.
    return true;
  }

  has(id: string): boolean {
    return this.jobs.has(id);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.replanAll(this.clock.now());
    this.arm();
  }

  async stop(): Promise<void> {
    if (this.started) {
      this.started = false;
      this.timer.disarm();
      this.due.clear();
      this.dropWaiting();
    }
    if (this.inFlight === 0) return;
    const boundMs = this.stopBoundMs();
    if (!(await this.idle.wait(this.clock, boundMs))) {
      this.logger.warn(
        { inFlight: this.inFlight, boundMs },
        'scheduler.stop: gave up waiting for in-flight runs',
      );
    }
  }

  stats(): SchedulerStats {
    return {
      jobs: this.jobs.size,
      inFlight: this.inFlight,
      queued: this.waiting.size,
      runsStarted: this.runsStarted,
      runsCompleted: this.runsCompleted,
      runsFailed: this.runsFailed,
      runsSkipped: this.runsSkipped,
      lagMs: this.lag.summary(),
    };
  }

  runNow(id: string): RunNowOutcome {
    const state = this.jobs.get(id);
    if (!state) return 'unknown';
    if (!this.started) return 'stopped';
    if (state.status !== 'idle') return 'busy';
    this.startOrQueue(state, this.clock.now());
    return this.waiting.has(id) ? 'queued' : 'started';
  }

  /** Called once per run when its promise fulfils. */
  settled(state: JobState<J>): void {
    this.inFlight--;
    this.runsCompleted++;
    state.status = 'idle';
    if (!state.active && this.retiring.get(state.job.id) === state)
      this.retiring.delete(state.job.id);
    this.startWaiting();
    if (this.inFlight === 0) this.idle.open();
  }

  /** Called once per run when `run` throws or rejects: a bug in the caller, survived. */
  failed(state: JobState<J>, error: unknown): void {
    this.runsFailed++;
    this.logger.error(
      { jobId: state.job.id, err: error },
      'scheduler.run: job run threw; counted and ignored',
    );
    this.settled(state);
  }

  private onWake(): void {
    if (!this.started) return;
    const now = this.clock.now();
    const armedAtNow = this.timer.armedAtNow;
    if (now < armedAtNow - BACKWARD_JUMP_TOLERANCE_MS) {
      this.logger.warn(
        { byMs: armedAtNow - now },
        'scheduler.onWake: wall clock stepped back; re-planning every job',
      );
      this.replanAll(now);
    }
    this.ticking = true;
    try {
      this.fireDueSlots(now);
    } finally {
      this.ticking = false;
      this.arm();
    }
  }

  /** Handles every slot due by `now`; each job moves past `now`, so each is seen at most once. */
  private fireDueSlots(now: number): void {
    for (let remaining = this.due.size; remaining > 0; remaining--) {
      const id = this.due.peekId();
      const plannedAt = this.due.peekDue();
      if (id === undefined || plannedAt > now) return;
      const state = this.jobs.get(id);
      if (state) this.fireSlot(state, plannedAt, now);
      else this.due.delete(id);
    }
  }

  private fireSlot(state: JobState<J>, plannedAt: number, now: number): void {
    const intervalMs = state.job.intervalMs;
    const next = nextRunAfter(now, intervalMs, state.phaseMs);
    const slot = next - intervalMs;
    this.due.set(state.job.id, next);
    // Slots between plannedAt and the latest one were passed while the timer was late.
    const missed = gridStepsBetween(plannedAt, slot, intervalMs);
    if (state.status !== 'idle') {
      this.skip(state, plannedAt, missed + 1, 'busy');
      return;
    }
    if (missed > 0) this.skip(state, plannedAt, missed, 'late');
    this.startOrQueue(state, slot);
  }

  private startOrQueue(state: JobState<J>, plannedAt: number): void {
    if (this.inFlight < this.concurrency && this.waiting.size === 0) {
      this.startRun(state, plannedAt);
      return;
    }
    state.status = 'waiting';
    this.waiting.set(state.job.id, plannedAt);
  }

  private startWaiting(): void {
    while (this.inFlight < this.concurrency) {
      const plannedAt = this.waiting.peekDue();
      const id = this.waiting.pop();
      if (id === undefined) return;
      const state = this.jobs.get(id);
      if (state?.status === 'waiting') this.startRun(state, plannedAt);
    }
  }

  private startRun(state: JobState<J>, plannedAt: number): void {
    state.status = 'running';
    this.inFlight++;
    this.runsStarted++;
    this.lag.record(this.clock.now() - plannedAt);
    let pending: Promise<void>;
    try {
      // Promise.resolve returns a native promise as is, and tolerates a plain return.
      pending = Promise.resolve(this.runJob(state.job, plannedAt));
    } catch (error) {
      // Settle asynchronously like a rejection, so a throwing run cannot recurse into the queue.
      queueMicrotask(() => state.onFailed(error));
      return;
    }
    pending.then(state.onSettled, state.onFailed);
  }

  private skip(state: JobState<J>, plannedAt: number, slots: number, reason: SkipReason): void {
    this.runsSkipped += slots;
    if (!this.onSkip) return;
    try {
      this.onSkip({ job: state.job, plannedAt, slots, reason });
    } catch (error) {
      this.logger.error(
        { jobId: state.job.id, err: error },
        'scheduler.skip: onSkip threw; ignored',
      );
    }
  }

  /** Puts a job on its grid from now on (when started) and re-arms the timer if it is now first. */
  private plan(state: JobState<J>): void {
    if (!this.started) return;
    this.due.set(state.job.id, nextRunAfter(this.clock.now(), state.job.intervalMs, state.phaseMs));
    this.arm();
  }

  private replanAll(now: number): void {
    for (const state of this.jobs.values()) {
      this.due.set(state.job.id, nextRunAfter(now, state.job.intervalMs, state.phaseMs));
    }
  }

  private revive(job: J): JobState<J> | undefined {
    const state = this.retiring.get(job.id);
    if (!state) return undefined;
    this.retiring.delete(job.id);
    state.active = true;
    state.job = job;
    state.phaseMs = phaseOffset(job.id, job.intervalMs);
    return state;
  }

  /** Sets the one timer to the earliest due slot (not mid-tick: the tick re-arms when done). */
  private arm(): void {
    if (this.started && !this.ticking) this.timer.armFor(this.due.peekDue());
  }

  private dropWaiting(): void {
    for (let id = this.waiting.pop(); id !== undefined; id = this.waiting.pop()) {
      const state = this.jobs.get(id);
      if (state) state.status = 'idle';
    }
  }

  private stopBoundMs(): number {
    if (this.stopTimeoutMs !== undefined) return this.stopTimeoutMs;
    let longest = 0;
    for (const states of [this.jobs.values(), this.retiring.values()]) {
      for (const state of states) {
        if (state.status === 'running') longest = Math.max(longest, state.job.timeoutMs);
      }
    }
    return longest + STOP_GRACE_MS;
  }
}
