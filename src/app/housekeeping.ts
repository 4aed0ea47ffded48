import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Clock, TimerHandle } from '../lib/clock.ts';
import type { Logger } from '../observability/logger.ts';
import type { PruneCounts, RetentionPolicy, StorageFigures, Store } from '../store/types.ts';
import type { RawWindowKeeper } from './storage-budget.ts';

/** Buckets a rollup pass wrote. */
export type RollupCounts = Awaited<ReturnType<Store['rollup']>>;

/** One pass's counts and the CPU time of the thread that ran it. */
export interface PassOutcome<T> {
  counts: T;
  cpuMs: number;
}

/**
 * Where the passes run: on this thread over the daemon's own store (`inProcessPasses`), or on
 * a worker thread with its own connection (`housekeeping-worker.ts`), so the daemon's queries
 * never wait behind them.
 */
export interface HousekeepingPasses {
  /** `main` or `worker`, for the pass log. */
  readonly thread: 'main' | 'worker';
  rollup(): Promise<PassOutcome<RollupCounts>>;
  prune(now: number, retention: RetentionPolicy): Promise<PassOutcome<PruneCounts>>;
  /** The figures `--storage-budget` decides from (reads the whole results table). */
  measure(now: number): Promise<PassOutcome<StorageFigures>>;
  close(): Promise<void>;
}

export interface HousekeepingOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  retention: RetentionPolicy;
  rollupEveryMs?: number;
  pruneEveryMs?: number;
  /** Defaults to the passes run on this thread over `store`. */
  passes?: HousekeepingPasses;
  /** With `--storage-budget`: decides the raw window each prune pass prunes with. */
  rawWindow?: RawWindowKeeper;
}

/** CPU ms of the calling thread (user + system). */
export function threadCpuMs(): number {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** The passes on the calling thread; their CPU time includes whatever ran between their yields. */
export function inProcessPasses(store: Store): HousekeepingPasses {
  async function measured<T>(pass: () => Promise<T>): Promise<PassOutcome<T>> {
    const before = threadCpuMs();
    const counts = await pass();
    return { counts, cpuMs: threadCpuMs() - before };
  }
  return {
    thread: 'main',
    rollup: () => measured(() => store.rollup()),
    prune: (now, retention) => measured(() => store.prune(now, retention)),
    measure: (now) => measured(() => store.storageFigures(now)),
    close: () => Promise.resolve(),
  };
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/**
 * Periodic store housekeeping: fold results into rollups every minute, prune hourly. Each
 * pass is logged (info, `housekeeping pass`) with its duration, its CPU time and the largest
 * event-loop delay of this (the daemon's main) thread while it ran: the figure that says
 * whether housekeeping held up checks and API requests.
 */
export function startHousekeeping(options: HousekeepingOptions): {
  /** Stops the timer and waits for a running pass; `runOnce` still works until `close`. */
  stop(): Promise<void>;
  runOnce(): Promise<void>;
  /** Stops, then releases the passes (the worker thread and its connection). Safe twice. */
  close(): Promise<void>;
} {
  const rollupEvery = options.rollupEveryMs ?? 60_000;
  const pruneEvery = options.pruneEveryMs ?? 3_600_000;
  const passes = options.passes ?? inProcessPasses(options.store);
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;
  let lastPrune = 0;
  let stopped = false;

  /** The retention to prune with: the budget's raw window when one is set (measured first). */
  async function retentionFor(
    now: number,
    figures: Record<string, number | string>,
  ): Promise<RetentionPolicy> {
    const keeper = options.rawWindow;
    if (keeper === undefined) return options.retention;
    const measureStart = options.clock.monotonic();
    const retention = await keeper.retentionFor(now, async () => {
      const measured = await passes.measure(now);
      figures.measureCpuMs = round1(measured.cpuMs);
      return measured.counts;
    });
    figures.measureMs = round1(options.clock.monotonic() - measureStart);
    figures.rawWindowMs = retention.rawMs;
    return retention;
  }

  async function runOnce(): Promise<void> {
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    try {
      const rollupStart = options.clock.monotonic();
      const rolled = await passes.rollup();
      const figures: Record<string, number | string> = {
        thread: passes.thread,
        rollupMs: round1(options.clock.monotonic() - rollupStart),
        rollupCpuMs: round1(rolled.cpuMs),
        ...rolled.counts,
      };
      const now = options.clock.now();
      if (now - lastPrune >= pruneEvery) {
        lastPrune = now;
        const retention = await retentionFor(now, figures);
        const pruneStart = options.clock.monotonic();
        const pruned = await passes.prune(now, retention);
        figures.pruneMs = round1(options.clock.monotonic() - pruneStart);
        figures.pruneCpuMs = round1(pruned.cpuMs);
        for (const [key, value] of Object.entries<number>({ ...pruned.counts })) {
          figures[`pruned_${key}`] = value;
        }
      }
      loopDelay.disable();
      figures.loopDelayMaxMs = round1(loopDelay.max / 1e6);
      figures.loopDelayP99Ms = round1(loopDelay.percentile(99) / 1e6);
      options.logger.info(figures, 'housekeeping pass');
    } finally {
      loopDelay.disable();
    }
  }

  function arm(): void {
    if (stopped) return;
    timer = options.clock.setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) =>
          options.logger.error({ err: error }, 'store housekeeping failed'),
        )
        .finally(() => {
          running = undefined;
          arm();
        });
    }, rollupEvery);
    timer.unref?.();
  }

  async function stop(): Promise<void> {
    stopped = true;
    if (timer !== undefined) options.clock.clearTimeout(timer);
    await running;
  }

  arm();
  return {
    runOnce,
    stop,
    async close() {
      await stop();
      await passes.close();
    },
  };
}
