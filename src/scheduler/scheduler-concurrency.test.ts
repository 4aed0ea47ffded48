import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { phaseOffset } from './plan.ts';
import { createScheduler } from './scheduler.ts';
import type { SchedulerJob, SkippedSlots } from './types.ts';

const SECOND = 1_000;

function job(id: string, intervalMs: number): SchedulerJob {
  return { id, intervalMs, timeoutMs: 5 * SECOND };
}

/** The first `count` ids `prefix-N` whose phase for `intervalMs` falls in [fromMs, toMs). */
function idsWithPhase(
  prefix: string,
  intervalMs: number,
  fromMs: number,
  toMs: number,
  count: number,
): string[] {
  const found: string[] = [];
  for (let i = 0; i < 100_000 && found.length < count; i++) {
    const phase = phaseOffset(`${prefix}-${i}`, intervalMs);
    if (phase >= fromMs && phase < toMs) found.push(`${prefix}-${i}`);
  }
  assert.equal(found.length, count, 'not enough ids with the wanted phase');
  return found;
}

/** Stops the scheduler while advancing fake time, so runs that sleep on the clock can finish. */
async function stopAndDrain(scheduler: { stop(): Promise<void> }, clock: FakeClock): Promise<void> {
  const stopping = scheduler.stop();
  await clock.advance(60 * SECOND);
  await stopping;
}

function sleep(clock: FakeClock, ms: number): Promise<void> {
  return new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
}

describe('scheduler concurrency', () => {
  it('never exceeds the limit; due runs wait in planned-time order and run as slots free', async () => {
    const clock = new FakeClock();
    const interval = 60 * SECOND;
    // Ten jobs all due within the first 2 s: three run, seven must wait.
    const ids = idsWithPhase('burst', interval, 1, 2 * SECOND, 10);
    let active = 0;
    let maxActive = 0;
    let maxQueued = 0;
    const started: Array<{ id: string; plannedAt: number }> = [];
    const scheduler = createScheduler({
      clock,
      concurrency: 3,
      run: async (runJob, plannedAt) => {
        active++;
        maxActive = Math.max(maxActive, active);
        maxQueued = Math.max(maxQueued, scheduler.stats().queued);
        started.push({ id: runJob.id, plannedAt });
        await sleep(clock, 5 * SECOND);
        active--;
      },
    });
    for (const id of ids) scheduler.upsert(job(id, interval));
    scheduler.start();
    await clock.advance(interval);

    assert.equal(maxActive, 3);
    assert.ok(maxQueued >= 5, `max queued ${maxQueued}`);
    assert.deepEqual(started.map((run) => run.id).sort(), [...ids].sort());
    const planned = started.map((run) => run.plannedAt);
    assert.deepEqual(
      planned,
      [...planned].sort((a, b) => a - b),
      'waiting runs start oldest first',
    );
    const stats = scheduler.stats();
    assert.deepEqual(
      [stats.inFlight, stats.queued, stats.runsSkipped, stats.runsCompleted],
      [0, 0, 0, 10],
    );
    // Lag shows the queueing: the last of 10 runs waited for three rounds of 5 s.
    assert.ok(stats.lagMs.max >= 3 * 5 * SECOND - 2 * SECOND);
    await stopAndDrain(scheduler, clock);
  });

  it('skips the slots of an overrunning job and never runs it concurrently with itself', async () => {
    const clock = new FakeClock();
    const interval = 10 * SECOND;
    const starts: number[] = [];
    const skips: Array<SkippedSlots<SchedulerJob>> = [];
    let running = 0;
    let maxRunning = 0;
    const scheduler = createScheduler({
      clock,
      concurrency: 10,
      run: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        starts.push(clock.now());
        await sleep(clock, 25 * SECOND);
        running--;
      },
      onSkip: (skipped) => skips.push(skipped),
    });
    scheduler.upsert(job('slow', interval));
    scheduler.start();
    await clock.advance(125 * SECOND);

    assert.equal(maxRunning, 1);
    assert.ok(starts.length >= 4);
    // Runs at P, P+30, P+60…: P+10 and P+20 fall inside each 25 s run and are skipped.
    for (let i = 1; i < starts.length; i++)
      assert.equal((starts[i] ?? 0) - (starts[i - 1] ?? 0), 30 * SECOND);
    assert.ok(skips.length >= 2 * (starts.length - 1));
    for (const skip of skips)
      assert.deepEqual([skip.job.id, skip.reason, skip.slots], ['slow', 'busy', 1]);
    assert.equal(scheduler.stats().runsSkipped, skips.length);
    await stopAndDrain(scheduler, clock);
  });

  it('does not start a run twice when it waited for a slot past its next planned time', async () => {
    const clock = new FakeClock();
    const [hog] = idsWithPhase('hog', 3_600_000, 1_800_000, 3_600_000, 1);
    const victimStarts: number[] = [];
    const scheduler = createScheduler({
      clock,
      concurrency: 1,
      run: async (runJob) => {
        if (runJob.id === hog) await sleep(clock, 35 * SECOND);
        else victimStarts.push(clock.now());
      },
    });
    scheduler.upsert(job(hog ?? 'hog', 3_600_000));
    scheduler.upsert(job('victim', 10 * SECOND));
    scheduler.start();
    assert.equal(scheduler.runNow(hog ?? 'hog'), 'started');
    const hogDoneAt = clock.now() + 35 * SECOND;
    await clock.advance(35 * SECOND);

    // The victim's slots during the hog's run: the first waited, the later ones were skipped.
    assert.deepEqual(victimStarts, [hogDoneAt]);
    assert.ok(scheduler.stats().runsSkipped >= 2);
    await clock.advance(30 * SECOND);
    assert.equal(victimStarts.length, 4);
    assert.equal(new Set(victimStarts).size, victimStarts.length);
    await stopAndDrain(scheduler, clock);
  });

  it('runNow runs once outside the grid, respecting the one-in-flight rule and the limit', async () => {
    const clock = new FakeClock();
    const interval = 60 * SECOND;
    const [early, other] = idsWithPhase('confirm', interval, 30 * SECOND, 40 * SECOND, 2);
    const runs: Array<{ id: string; at: number; plannedAt: number }> = [];
    let release: (() => void) | undefined;
    const scheduler = createScheduler({
      clock,
      concurrency: 1,
      run: async (runJob, plannedAt) => {
        runs.push({ id: runJob.id, at: clock.now(), plannedAt });
        if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    const id = early ?? 'a';
    const otherId = other ?? 'b';
    scheduler.upsert(job(id, interval));
    scheduler.upsert(job(otherId, interval));
    assert.equal(scheduler.runNow(id), 'stopped');
    scheduler.start();
    assert.equal(scheduler.runNow('nope'), 'unknown');

    await clock.advance(5 * SECOND);
    assert.equal(scheduler.runNow(id), 'started');
    assert.deepEqual(runs, [{ id, at: clock.now(), plannedAt: clock.now() }]);
    assert.equal(scheduler.runNow(id), 'busy');
    assert.equal(scheduler.runNow(otherId), 'queued');
    assert.equal(scheduler.runNow(otherId), 'busy');
    release?.();
    await clock.advance(0);
    assert.equal(runs.length, 2);

    // The grid is untouched: both jobs still run at their planned slots.
    await clock.advance(interval);
    const gridRuns = runs.slice(2);
    assert.equal(gridRuns.length, 2);
    for (const run of gridRuns) assert.equal(run.at, run.plannedAt);
    await stopAndDrain(scheduler, clock);
  });
});
