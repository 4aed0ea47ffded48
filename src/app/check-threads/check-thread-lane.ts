import { runsOnCheckThreads } from '../../checks/registry.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { Logger } from '../../observability/logger.ts';
import type { SchedulerStats } from '../../scheduler/types.ts';
import type { CheckThreadPool } from './check-thread-pool.ts';
import { createCheckThreadPool, sumStats } from './check-thread-pool.ts';
import type { ThreadJob, ThreadResult } from './messages.ts';

export interface CheckThreadLaneDeps {
  concurrency: number;
  logger: Logger;
  onResults(results: readonly ThreadResult[]): void;
  /** The engine's monitor of an id (to move the ones on the main thread over). */
  monitorOf(id: string): Monitor | undefined;
  /** These monitors now run on the threads: take them off the main thread's scheduler. */
  moveFromMain(ids: readonly string[]): void;
}

/** Check threads: how many, and from how many monitors on (0: at once). */
export interface CheckThreadsSetting {
  count: number;
  fromMonitors: number;
}

/** What a check thread gets of a monitor. */
function threadJob(monitor: Monitor): ThreadJob {
  return {
    id: monitor.id,
    intervalMs: monitor.intervalMs,
    timeoutMs: monitor.timeoutMs,
    type: monitor.type,
    target: monitor.target,
    options: monitor.options,
  };
}

/**
 * The engine's check threads. They start when the node runs `fromMonitors` monitors that may
 * run on them (at once when 0), so a small node keeps one thread and its memory; from then on
 * every such monitor runs there, and the others (browser, push) stay on the main thread.
 */
export class CheckThreadLane {
  readonly #setting: CheckThreadsSetting | undefined;
  readonly #deps: CheckThreadLaneDeps;
  /** Monitors running here that may run on a thread. */
  readonly #eligible = new Set<string>();
  #pool: CheckThreadPool | undefined;
  #started = false;
  #stopped = false;

  constructor(setting: CheckThreadsSetting | undefined, deps: CheckThreadLaneDeps) {
    this.#setting = setting !== undefined && setting.count > 0 ? setting : undefined;
    this.#deps = deps;
  }

  /** Whether `monitor`, which runs on this node, runs on a thread (starting them if due). */
  takes(monitor: Monitor): boolean {
    const setting = this.#setting;
    if (setting === undefined || !runsOnCheckThreads(monitor.type)) {
      this.remove(monitor.id);
      return false;
    }
    this.#eligible.add(monitor.id);
    if (this.#pool !== undefined) return true;
    if (this.#eligible.size < setting.fromMonitors || this.#stopped) return false;
    this.#startThreads(setting, monitor.id);
    return true;
  }

  #startThreads(setting: CheckThreadsSetting, arriving: string): void {
    const pool = createCheckThreadPool({
      threads: setting.count,
      concurrency: this.#deps.concurrency,
      logger: this.#deps.logger,
      onResults: (results) => this.#deps.onResults(results),
    });
    this.#pool = pool;
    const moved = [...this.#eligible].filter((id) => id !== arriving);
    for (const id of moved) {
      const monitor = this.#deps.monitorOf(id);
      if (monitor !== undefined) pool.upsert(threadJob(monitor));
    }
    this.#deps.moveFromMain(moved);
    if (this.#started) pool.start();
    this.#deps.logger.info(
      { threads: setting.count, monitors: this.#eligible.size },
      'check threads started',
    );
  }

  has(id: string): boolean {
    return this.#pool !== undefined && this.#eligible.has(id);
  }

  upsert(monitor: Monitor): void {
    this.#pool?.upsert(threadJob(monitor));
  }

  remove(id: string): void {
    if (!this.#eligible.delete(id)) return;
    this.#pool?.remove(id);
  }

  runNow(id: string): void {
    this.#pool?.runNow(id);
  }

  start(): void {
    this.#started = true;
    this.#pool?.start();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#pool?.stop();
  }

  /** The main thread's scheduler figures with the threads' added. */
  withStats(main: SchedulerStats): SchedulerStats {
    return this.#pool === undefined ? main : sumStats([main, this.#pool.stats()]);
  }
}
