import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { FakeClock, flushMicrotasks } from '../../test/helpers/fake-clock.ts';
import { isAppError } from '../lib/errors.ts';
import { nextRunAfter, phaseOffset } from './plan.ts';
import { createScheduler } from './scheduler.ts';
import type { SchedulerJob, SchedulerLogger } from './types.ts';

const SECOND = 1_000;

interface PayloadJob extends SchedulerJob {
  payload: string;
}

function job(id: string, intervalMs: number, payload = 'v1'): PayloadJob {
  return { id, intervalMs, timeoutMs: 5 * SECOND, payload };
}

function recordingLogger(): {
  logger: SchedulerLogger;
  lines: Array<{ level: string; fields: Record<string, unknown> }>;
} {
  const lines: Array<{ level: string; fields: Record<string, unknown> }> = [];
  return {
    lines,
    logger: {
      warn: (fields) => lines.push({ level: 'warn', fields }),
      error: (fields) => lines.push({ level: 'error', fields }),
    },
  };
}

/** Stops the scheduler while advancing fake time, so runs that sleep on the clock can finish. */
async function stopAndDrain(scheduler: { stop(): Promise<void> }, clock: FakeClock): Promise<void> {
  const stopping = scheduler.stop();
  await clock.advance(60 * SECOND);
  await stopping;
}

describe('scheduler live updates', () => {
  it('re-plans at once on the new grid when the interval changes; other changes keep the grid', async () => {
    const clock = new FakeClock();
    const runs: Array<{ at: number; payload: string }> = [];
    const scheduler = createScheduler<PayloadJob>({
      clock,
      concurrency: 1,
      run: async (runJob) => {
        runs.push({ at: clock.now(), payload: runJob.payload });
      },
    });
    scheduler.upsert(job('flex', 60 * SECOND));
    scheduler.start();
    await clock.advance(60 * SECOND);
    assert.equal(runs.length, 1);

    scheduler.upsert(job('flex', 60 * SECOND, 'v2'));
    await clock.advance(60 * SECOND);
    assert.deepEqual(
      runs.map((run) => run.at - (runs[0]?.at ?? 0)),
      [0, 60 * SECOND],
    );
    assert.equal(runs[1]?.payload, 'v2');

    const changedAt = clock.now();
    scheduler.upsert(job('flex', 5 * SECOND, 'v3'));
    const expected = nextRunAfter(changedAt, 5 * SECOND, phaseOffset('flex', 5 * SECOND));
    await clock.advance(5 * SECOND);
    assert.deepEqual(runs[2], { at: expected, payload: 'v3' });
    await clock.advance(20 * SECOND);
    assert.deepEqual(
      runs.slice(2).map((run) => run.at - expected),
      [0, 5 * SECOND, 10 * SECOND, 15 * SECOND, 20 * SECOND].filter(
        (offset) => expected + offset <= clock.now(),
      ),
    );
    await scheduler.stop();
  });

  it('adds a job while running: its first run comes within one interval', async () => {
    const clock = new FakeClock();
    const runs: number[] = [];
    const scheduler = createScheduler({
      clock,
      concurrency: 1,
      run: async () => void runs.push(clock.now()),
    });
    scheduler.start();
    await clock.advance(3 * SECOND);
    const addedAt = clock.now();
    scheduler.upsert(job('new', 10 * SECOND));
    assert.equal(scheduler.has('new'), true);
    await clock.advance(10 * SECOND);
    assert.equal(runs.length, 1);
    assert.ok((runs[0] ?? 0) > addedAt && (runs[0] ?? 0) <= addedAt + 10 * SECOND);
    await scheduler.stop();
  });

  it('remove takes effect at once: no later runs and no timer left', async () => {
    const clock = new FakeClock();
    const runs: string[] = [];
    const scheduler = createScheduler({
      clock,
      concurrency: 1,
      run: async (runJob) => void runs.push(runJob.id),
    });
    scheduler.upsert(job('gone', 10 * SECOND));
    scheduler.start();
    await clock.advance(10 * SECOND);
    assert.deepEqual(runs, ['gone']);

    assert.equal(scheduler.remove('gone'), true);
    assert.equal(scheduler.remove('gone'), false);
    assert.equal(scheduler.has('gone'), false);
    await clock.advance(100 * SECOND);
    assert.deepEqual(runs, ['gone']);
    assert.equal(scheduler.stats().jobs, 0);
    assert.equal(clock.pendingTimers(), 0);
    await scheduler.stop();
  });

  it('lets an in-flight run of a removed job finish without scheduling its successor', async () => {
    const clock = new FakeClock();
    let release: (() => void) | undefined;
    let runs = 0;
    const scheduler = createScheduler({
      clock,
      concurrency: 1,
      run: async () => {
        runs++;
        await new Promise<void>((resolve) => (release = resolve));
      },
    });
    scheduler.upsert(job('paused', 10 * SECOND));
    scheduler.start();
    await clock.advance(10 * SECOND);
    assert.equal(scheduler.stats().inFlight, 1);

    scheduler.remove('paused');
    release?.();
    await clock.advance(60 * SECOND);
    assert.equal(runs, 1);
    assert.deepEqual([scheduler.stats().inFlight, scheduler.stats().runsCompleted], [0, 1]);
    await scheduler.stop();
  });

  it('a job removed and re-added mid-run is still never concurrent with itself', async () => {
    const clock = new FakeClock();
    let running = 0;
    let maxRunning = 0;
    const scheduler = createScheduler({
      clock,
      concurrency: 5,
      run: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 25 * SECOND));
        running--;
      },
    });
    scheduler.upsert(job('flap', 10 * SECOND));
    scheduler.start();
    await clock.advance(10 * SECOND);
    scheduler.remove('flap');
    scheduler.upsert(job('flap', 10 * SECOND));
    assert.equal(scheduler.runNow('flap'), 'busy');
    await clock.advance(60 * SECOND);
    assert.equal(maxRunning, 1);
    assert.ok(scheduler.stats().runsStarted >= 2);
    await stopAndDrain(scheduler, clock);
  });
});

describe('scheduler failures and shutdown', () => {
  it('counts and logs a throwing run, frees its slot, and keeps scheduling', async () => {
    const clock = new FakeClock();
    // A real pino logger, as the app passes: proves the type fits and errors are serialised.
    type LogLine = { level: number; jobId?: string; err?: { message?: string } };
    const lines: LogLine[] = [];
    const logger = pino(
      { level: 'warn' },
      { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
    );
    let badCalls = 0;
    let goodRuns = 0;
    const scheduler = createScheduler({
      clock,
      concurrency: 1,
      logger,
      run: (runJob) => {
        if (runJob.id === 'good') {
          goodRuns++;
          return Promise.resolve();
        }
        badCalls++;
        if (badCalls % 2 === 1) throw new Error('sync bug');
        return Promise.reject(new Error('async bug'));
      },
    });
    scheduler.upsert(job('bad', 10 * SECOND));
    scheduler.upsert(job('good', 10 * SECOND));
    scheduler.start();
    await clock.advance(60 * SECOND);

    assert.equal(badCalls, 6);
    assert.equal(goodRuns, 6);
    const stats = scheduler.stats();
    assert.deepEqual([stats.runsFailed, stats.runsCompleted, stats.inFlight], [6, 12, 0]);
    const errors = lines.filter((line) => line.level === 50 && line.jobId === 'bad');
    assert.deepEqual(
      errors.map((line) => line.err?.message),
      ['sync bug', 'async bug', 'sync bug', 'async bug', 'sync bug', 'async bug'],
    );
    await scheduler.stop();
  });

  it('survives a throwing onSkip hook', async () => {
    const clock = new FakeClock();
    const { logger, lines } = recordingLogger();
    const scheduler = createScheduler({
      clock,
      concurrency: 1,
      logger,
      run: () => new Promise<void>((resolve) => clock.setTimeout(resolve, 15 * SECOND)),
      onSkip: () => {
        throw new Error('hook bug');
      },
    });
    scheduler.upsert(job('slow', 10 * SECOND));
    scheduler.start();
    await clock.advance(60 * SECOND);
    assert.ok(scheduler.stats().runsSkipped >= 2);
    assert.ok(scheduler.stats().runsStarted >= 2);
    assert.ok(lines.some((line) => line.level === 'error'));
    await stopAndDrain(scheduler, clock);
  });

  it('stop() waits for in-flight runs, drops queued ones and leaves no timers', async () => {
    const clock = new FakeClock();
    let release: (() => void) | undefined;
    const runs: string[] = [];
    const scheduler = createScheduler({
      clock,
      concurrency: 1,
      run: async (runJob) => {
        runs.push(runJob.id);
        await new Promise<void>((resolve) => (release = resolve));
      },
    });
    scheduler.upsert(job('first', 10 * SECOND));
    scheduler.upsert(job('second', 10 * SECOND));
    scheduler.start();
    await clock.advance(10 * SECOND);
    assert.deepEqual([scheduler.stats().inFlight, scheduler.stats().queued], [1, 1]);

    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await flushMicrotasks();
    assert.equal(stopped, false);
    assert.equal(scheduler.stats().queued, 0);
    release?.();
    await stopping;
    assert.equal(stopped, true);
    assert.equal(clock.pendingTimers(), 0);
    await clock.advance(60 * SECOND);
    assert.equal(runs.length, 1);
  });

  it('stop() gives up after its bound when a run hangs', async () => {
    const clock = new FakeClock();
    const { logger, lines } = recordingLogger();
    const scheduler = createScheduler({
      clock,
      concurrency: 1,
      logger,
      stopTimeoutMs: 2 * SECOND,
      run: () => new Promise<void>(() => {}),
    });
    scheduler.upsert(job('hung', 10 * SECOND));
    scheduler.start();
    await clock.advance(10 * SECOND);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await clock.advance(1 * SECOND);
    assert.equal(stopped, false);
    await clock.advance(1 * SECOND);
    await stopping;
    assert.equal(stopped, true);
    assert.deepEqual(
      lines.map((line) => line.level),
      ['warn'],
    );
  });

  it('rejects invalid settings and jobs with VALIDATION errors', () => {
    const clock = new FakeClock();
    const run = async (): Promise<void> => {};
    assert.throws(
      () => createScheduler({ clock, concurrency: 0, run }),
      (error) => isAppError(error) && error.code === 'VALIDATION',
    );
    const scheduler = createScheduler({ clock, concurrency: 1, run });
    assert.throws(
      () => scheduler.upsert({ id: '', intervalMs: 0.5, timeoutMs: -1 }),
      (error) =>
        isAppError(error) &&
        error.issues.map((issue) => issue.path).join() === 'id,intervalMs,timeoutMs',
    );
  });
});
