import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import type { Clock, TimerHandle } from '../lib/clock.ts';
import { phaseOffset } from './plan.ts';
import { createScheduler } from './scheduler.ts';
import type { SchedulerJob, SkippedSlots } from './types.ts';

const SECOND = 1_000;
const HOUR = 3_600_000;

function job(id: string, intervalMs: number): SchedulerJob {
  return { id, intervalMs, timeoutMs: 5 * SECOND };
}

/** A clock whose timers all fire `extraMs` late, like an overloaded event loop. */
function laggyClock(inner: FakeClock, extraMs: number): Clock {
  return {
    now: () => inner.now(),
    monotonic: () => inner.monotonic(),
    setTimeout: (callback: () => void, delayMs: number): TimerHandle =>
      inner.setTimeout(callback, delayMs + extraMs),
    clearTimeout: (handle: TimerHandle) => inner.clearTimeout(handle),
  };
}

/** A fake clock whose wall time can be stepped, as NTP does; timers keep monotonic time. */
class SteppableClock extends FakeClock {
  offsetMs = 0;
  override now(): number {
    return super.now() + this.offsetMs;
  }
}

describe('scheduler timing', () => {
  it('spreads the first runs of 2,000 jobs created together over the interval', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const interval = 30 * SECOND;
    const firstRunAt = new Map<string, number>();
    const scheduler = createScheduler({
      clock,
      concurrency: 10_000,
      run: async (runJob) => {
        if (!firstRunAt.has(runJob.id)) firstRunAt.set(runJob.id, clock.now());
      },
    });
    for (let i = 0; i < 2_000; i++) scheduler.upsert(job(`monitor-${i}`, interval));
    scheduler.start();
    await clock.advance(interval);

    assert.equal(firstRunAt.size, 2_000);
    const buckets = new Array<number>(10).fill(0);
    for (const at of firstRunAt.values()) {
      assert.ok(at > start && at <= start + interval);
      const bucket = Math.min(9, Math.floor(((at - start) / interval) * 10));
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    // Expected 200 per 3 s bucket; a uniform spread stays within ±60 (over 4 standard deviations).
    for (const count of buckets)
      assert.ok(count > 140 && count < 260, `bucket counts ${buckets.join(',')}`);
    assert.ok(
      new Set(firstRunAt.values()).size > 1_900,
      'first runs are not bunched on the same millisecond',
    );
    await scheduler.stop();
  });

  it('runs a 30 s job on its exact grid for 6 simulated hours: the 720th run is on time', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const interval = 30 * SECOND;
    const startedAt: number[] = [];
    const plannedAts: number[] = [];
    const scheduler = createScheduler({
      clock,
      concurrency: 4,
      run: async (runJob, plannedAt) => {
        if (runJob.id !== 'grid-job') return;
        startedAt.push(clock.now());
        plannedAts.push(plannedAt);
        // Each run takes 1.7 s; with a drifting scheduler this would accumulate.
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 1_700));
      },
    });
    scheduler.upsert(job('grid-job', interval));
    scheduler.upsert(job('neighbour-a', 7 * SECOND));
    scheduler.upsert(job('neighbour-b', 45 * SECOND));
    scheduler.start();
    await clock.advance(6 * HOUR);

    const phase = phaseOffset('grid-job', interval);
    const first = start + phase + (phase === 0 ? interval : 0);
    assert.equal(startedAt.length, 720);
    assert.equal(startedAt[0], first);
    assert.equal(startedAt[719], first + 719 * interval);
    assert.deepEqual(startedAt, plannedAts);
    for (const at of startedAt) assert.equal((at - start - phase) % interval, 0);
    const stats = scheduler.stats();
    assert.equal(stats.runsSkipped, 0);
    assert.equal(stats.lagMs.max, 0);
    await scheduler.stop();
  });

  it('skips the slots a late timer passed instead of queueing them up', async () => {
    const fake = new FakeClock();
    const interval = 10 * SECOND;
    const runs: number[] = [];
    const skips: Array<SkippedSlots<SchedulerJob>> = [];
    const scheduler = createScheduler({
      clock: laggyClock(fake, 25 * SECOND),
      concurrency: 1,
      run: async (_job, plannedAt) => {
        runs.push(plannedAt);
      },
      onSkip: (skipped) => skips.push(skipped),
    });
    scheduler.upsert(job('late-job', interval));
    scheduler.start();
    await fake.advance(5 * 60 * SECOND);

    assert.ok(runs.length >= 5, `only ${runs.length} runs`);
    const phase = phaseOffset('late-job', interval);
    for (const planned of runs)
      assert.equal(Math.abs((planned - fake.now() - phase) % interval), 0);
    // Each timer firing covers three slots: one run (the latest slot) and two skipped.
    assert.equal(skips.length, runs.length);
    for (const skip of skips) assert.deepEqual([skip.reason, skip.slots], ['late', 2]);
    for (let i = 1; i < runs.length; i++)
      assert.equal((runs[i] ?? 0) - (runs[i - 1] ?? 0), 3 * interval);
    assert.equal(scheduler.stats().runsSkipped, 2 * runs.length);
    await scheduler.stop();
  });

  it('re-plans every job when the wall clock steps back, instead of pausing for the step', async () => {
    const clock = new SteppableClock();
    const runs: number[] = [];
    const warnings: string[] = [];
    const scheduler = createScheduler({
      clock,
      concurrency: 1,
      run: async () => {
        runs.push(clock.now());
      },
      logger: { warn: (_fields, message) => warnings.push(message), error: () => {} },
    });
    scheduler.upsert(job('steady', 10 * SECOND));
    scheduler.start();
    await clock.advance(60 * SECOND);
    const before = runs.length;
    assert.equal(before, 6);

    clock.offsetMs = -HOUR;
    await clock.advance(30 * SECOND);
    assert.ok(runs.length - before >= 2, `${runs.length - before} runs after the step`);
    assert.equal(warnings.length, 1);
    await scheduler.stop();
  });
});
