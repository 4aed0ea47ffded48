/**
 * Micro-benchmark: the scheduler alone on the real clock with a no-op run, in this process.
 * Many jobs, a short interval: runs/s achieved vs expected, start lag (actual − planned)
 * p50/p99/max, CPU time per run, and how often the scheduler's single timer was armed. Shows
 * the scheduler's own cost apart from checks, ingest and the API.
 */
import type { Clock, TimerHandle } from '../../src/lib/clock.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { nextRunAfter, phaseOffset } from '../../src/scheduler/plan.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import type { SchedulerJob } from '../../src/scheduler/types.ts';
import type { Scenario } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';
import { distribution, round } from '../lib/stats.ts';
import { withTimeout } from '../lib/time-bounds.ts';

/** Epoch ms with sub-millisecond resolution, for lag measurement. */
const preciseNow = (): number => performance.timeOrigin + performance.now();

interface SchedulerPlan {
  jobs: number;
  intervalMs: number;
  durationMs: number;
  concurrency: number;
}

/** Runs the scheduler with no-op jobs for `durationMs` and reports its figures. */
export async function measureScheduler(plan: SchedulerPlan): Promise<Record<string, unknown>> {
  const { jobs: jobCount, intervalMs, durationMs, concurrency } = plan;
  const timerCounts = { set: 0, cleared: 0 };
  const countingClock: Clock = {
    now: () => systemClock.now(),
    monotonic: () => systemClock.monotonic(),
    setTimeout: (callback: () => void, delayMs: number): TimerHandle => {
      timerCounts.set++;
      return systemClock.setTimeout(callback, delayMs);
    },
    clearTimeout: (handle: TimerHandle) => {
      timerCounts.cleared++;
      systemClock.clearTimeout(handle);
    },
  };
  const lags = new Float64Array(Math.ceil(((jobCount * durationMs) / intervalMs) * 1.5) + jobCount);
  let runsInWindow = 0;
  let windowStart = 0;
  let windowEnd = Number.POSITIVE_INFINITY;
  const scheduler = createScheduler<SchedulerJob>({
    clock: countingClock,
    concurrency,
    run: (_job, plannedAt) => {
      if (plannedAt > windowStart && plannedAt <= windowEnd && runsInWindow < lags.length) {
        lags[runsInWindow++] = preciseNow() - plannedAt;
      }
      return Promise.resolve();
    },
  });

  const setupStarted = performance.now();
  for (let i = 0; i < jobCount; i++) {
    scheduler.upsert({ id: `monitor-${i}`, intervalMs, timeoutMs: 5_000 });
  }
  scheduler.start();
  const setupMs = performance.now() - setupStarted;
  const heapAfterSetupMb = process.memoryUsage().heapUsed / 1_048_576;
  // Steady state: slots planned after setup returned control to the event loop.
  windowStart = systemClock.now();
  windowEnd = windowStart + durationMs;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  // Wait until the last slot of the window is due, plus a moment for its run to start.
  await new Promise<void>((resolve) => setTimeout(resolve, windowEnd - systemClock.now() + 50));
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  let expectedRuns = 0;
  for (let i = 0; i < jobCount; i++) {
    const first = nextRunAfter(windowStart, intervalMs, phaseOffset(`monitor-${i}`, intervalMs));
    if (first <= windowEnd) expectedRuns += 1 + Math.floor((windowEnd - first) / intervalMs);
  }
  await withTimeout(scheduler.stop(), 10_000, 'scheduler.stop()');

  const cpuMs = (cpu.user + cpu.system) / 1_000;
  const stats = scheduler.stats();
  return {
    ...plan,
    setupMs: Math.round(setupMs),
    heapAfterSetupMb: Math.round(heapAfterSetupMb),
    runs: runsInWindow,
    expectedRuns,
    runsPerSecond: Math.round((runsInWindow / durationMs) * 1_000),
    expectedRunsPerSecond: Math.round((jobCount / intervalMs) * 1_000),
    lagMs: distribution(lags.subarray(0, runsInWindow)),
    cpuMs: Math.round(cpuMs),
    cpuPercentOfOneCore: round((cpuMs / wallMs) * 100, 1),
    cpuMicrosecondsPerRun: round((cpuMs * 1_000) / Math.max(1, runsInWindow)),
    timersArmed: timerCounts.set,
    timersCleared: timerCounts.cleared,
    runsSkipped: stats.runsSkipped,
    runsFailed: stats.runsFailed,
  };
}

export const schedulerMicro: Scenario = {
  name: 'scheduler',
  description: 'scheduler alone, no-op runs: runs/s vs expected, lag, CPU per run (in process)',
  async run({ quick }) {
    const plan = quick
      ? { jobs: 20_000, intervalMs: 5_000, durationMs: 5_000, concurrency: 1_000 }
      : { jobs: 100_000, intervalMs: 10_000, durationMs: 15_000, concurrency: 1_000 };
    const figures = await measureScheduler(plan);
    const lag = figures.lagMs as { p50: number; p99: number; max: number };
    printTable(
      `scheduler: ${plan.jobs} jobs every ${plan.intervalMs / 1000} s for ${plan.durationMs / 1000} s`,
      ['runs', 'expected', 'runs/s', 'lag p50/p99/max ms', 'cpu', 'µs/run', 'setup ms'],
      [
        [
          String(figures.runs),
          String(figures.expectedRuns),
          String(figures.runsPerSecond),
          `${lag.p50} / ${lag.p99} / ${lag.max}`,
          `${String(figures.cpuPercentOfOneCore)} %`,
          String(figures.cpuMicrosecondsPerRun),
          String(figures.setupMs),
        ],
      ],
    );
    return { figures, targets: [] };
  },
};
