import type { Clock, TimerHandle } from '../lib/clock.ts';
import type { Logger } from '../observability/logger.ts';
import type { RetentionPolicy, Store } from '../store/types.ts';

export interface HousekeepingOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  retention: RetentionPolicy;
  rollupEveryMs?: number;
  pruneEveryMs?: number;
}

/** Periodic store housekeeping: fold results into rollups every minute, prune hourly. */
export function startHousekeeping(options: HousekeepingOptions): {
  stop(): Promise<void>;
  runOnce(): Promise<void>;
} {
  const rollupEvery = options.rollupEveryMs ?? 60_000;
  const pruneEvery = options.pruneEveryMs ?? 3_600_000;
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;
  let lastPrune = 0;
  let stopped = false;

  async function runOnce(): Promise<void> {
    const rolled = await options.store.rollup();
    options.logger.debug({ ...rolled }, 'rollup done');
    const now = options.clock.now();
    if (now - lastPrune >= pruneEvery) {
      lastPrune = now;
      const pruned = await options.store.prune(now, options.retention);
      options.logger.info({ ...pruned }, 'prune done');
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

  arm();
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) options.clock.clearTimeout(timer);
      await running;
    },
  };
}
