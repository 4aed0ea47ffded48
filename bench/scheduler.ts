/**
 * Micro-benchmark of the scheduler on the real clock with a no-op run (not a test).
 *
 *   node bench/scheduler.ts [--jobs 100000] [--interval-ms 10000] [--duration-ms 15000] [--concurrency 1000]
 *
 * Reports runs/s achieved vs expected, start lag (actual − planned) p50/p99/max, CPU time per
 * run, and how often the scheduler's single timer was armed. Bounded: it stops after the
 * duration and exits by force if stopping takes more than 10 s longer.
 */
import { parseArgs } from 'node:util';
import type { Clock, TimerHandle } from '../src/lib/clock.ts';
import { systemClock } from '../src/lib/clock.ts';
import { nextRunAfter, phaseOffset } from '../src/scheduler/plan.ts';
import { createScheduler } from '../src/scheduler/scheduler.ts';
import type { SchedulerJob } from '../src/scheduler/types.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '100000' },
    'interval-ms': { type: 'string', default: '10000' },
    'duration-ms': { type: 'string', default: '15000' },
    concurrency: { type: 'string', default: '1000' },
  },
});
const jobCount = Number(values.jobs);
const intervalMs = Number(values['interval-ms']);
const durationMs = Number(values['duration-ms']);
const concurrency = Number(values.concurrency);

/** Epoch ms with sub-millisecond resolution, for lag measurement. */
const preciseNow = (): number => performance.timeOrigin + performance.now();

/** The system clock, counting how often the scheduler arms and clears its timer. */
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

/** Exactly how many planned slots of all jobs fall in (from, to]. */
function countGridPoints(from: number, to: number): number {
  let total = 0;
  for (let i = 0; i < jobCount; i++) {
    const first = nextRunAfter(from, intervalMs, phaseOffset(`monitor-${i}`, intervalMs));
    if (first <= to) total += 1 + Math.floor((to - first) / intervalMs);
  }
  return total;
}

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
const expectedRuns = countGridPoints(windowStart, windowEnd);

const forceExit = setTimeout(() => {
  console.error('bench: stop() did not finish within 10 s; exiting');
  process.exit(2);
}, 10_000);
await scheduler.stop();
clearTimeout(forceExit);

const sorted = lags.slice(0, runsInWindow).sort();
const percentile = (fraction: number): number =>
  sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
const cpuMs = (cpu.user + cpu.system) / 1_000;
const stats = scheduler.stats();

const result = {
  jobs: jobCount,
  intervalMs,
  durationMs,
  concurrency,
  setupMs: Math.round(setupMs),
  heapAfterSetupMb: Math.round(heapAfterSetupMb),
  runs: runsInWindow,
  expectedRuns,
  runsPerSecond: Math.round((runsInWindow / durationMs) * 1_000),
  expectedRunsPerSecond: Math.round((jobCount / intervalMs) * 1_000),
  lagMs: {
    p50: +percentile(0.5).toFixed(2),
    p99: +percentile(0.99).toFixed(2),
    max: +(sorted[sorted.length - 1] ?? 0).toFixed(2),
  },
  cpuMs: Math.round(cpuMs),
  cpuPercentOfOneCore: +((cpuMs / wallMs) * 100).toFixed(1),
  cpuMicrosecondsPerRun: +((cpuMs * 1_000) / Math.max(1, runsInWindow)).toFixed(2),
  timersArmed: timerCounts.set,
  timersCleared: timerCounts.cleared,
  runsSkipped: stats.runsSkipped,
  runsFailed: stats.runsFailed,
};

console.log(
  [
    `scheduler bench: ${jobCount} jobs every ${intervalMs} ms for ${durationMs} ms (concurrency ${concurrency})`,
    `  setup (upsert all + start): ${result.setupMs} ms, heap ${result.heapAfterSetupMb} MB`,
    `  runs: ${result.runs} of ${result.expectedRuns} expected; ${result.runsPerSecond}/s vs ${result.expectedRunsPerSecond}/s`,
    `  lag (actual − planned start): p50 ${result.lagMs.p50} ms, p99 ${result.lagMs.p99} ms, max ${result.lagMs.max} ms`,
    `  cpu: ${result.cpuMs} ms (${result.cpuPercentOfOneCore}% of one core), ${result.cpuMicrosecondsPerRun} µs per run`,
    `  timer armed ${result.timersArmed} times, cleared ${result.timersCleared}; skipped ${result.runsSkipped}, failed ${result.runsFailed}`,
  ].join('\n'),
);
console.log(JSON.stringify(result));
