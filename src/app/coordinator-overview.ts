import type { MonitorChange } from '../domain/monitor-change.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import type { Logger } from '../observability/logger.ts';
import type { DayBarCache } from '../services/overview/day-bar-cache.ts';
import { createDayBarCache } from '../services/overview/day-bar-cache.ts';
import type { OverviewIndex } from '../services/overview/overview-index.ts';
import { createOverviewIndex } from '../services/overview/overview-index.ts';
import type { UptimeKeeper } from '../services/overview/uptime-keeper.ts';
import { createUptimeKeeper } from '../services/overview/uptime-keeper.ts';
import type { CommittedBatchFacts, Store } from '../store/types.ts';

/** The dashboard overview's in-memory parts, kept current from the facts the events come from. */
export interface CoordinatorOverview {
  index: OverviewIndex;
  bars: DayBarCache;
  uptime: UptimeKeeper;
  /** Call before the batch's events go out, so a client refetching on one reads what it announced. */
  batchCommitted(batch: CommittedBatchFacts): void;
  monitorChanged(change: MonitorChange): void;
  /** Time in a window is left out of uptime, past days' bars included. */
  maintenanceChanged(): void;
  /**
   * Reads monitors and states from the store again: changes were made that no event announced
   * (a follower coordinator lost its connection to the cluster bus meanwhile).
   */
  reload(): Promise<void>;
}

export function createCoordinatorOverview(deps: {
  store: Store;
  now: () => number;
  logger: Logger;
  monitors: Iterable<Monitor>;
  states: Iterable<MonitorRuntimeState>;
}): CoordinatorOverview {
  const index = createOverviewIndex(deps.monitors, deps.states);
  const bars = createDayBarCache();
  const uptime = createUptimeKeeper(deps.store);
  // Read every monitor's uptime record now, not on the first sort by uptime (~0.2 s at 10,000).
  uptime
    .dayUptime(deps.now())
    .catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'overview uptime records not read'),
    );
  return {
    index,
    bars,
    uptime,
    batchCommitted(batch) {
      index.setStates(batch.states);
      bars.batchCommitted(batch);
      uptime.batchCommitted(batch);
    },
    monitorChanged(change) {
      if (change.type === 'removed') index.removeMonitor(change.id);
      else index.setMonitor(change.monitor);
      // A pause, resume or change moves its uptime (removed: its entry goes).
      const changedId = change.type === 'removed' ? change.id : change.monitor.id;
      bars.monitorChanged(changedId);
      uptime.monitorChanged(changedId);
    },
    maintenanceChanged() {
      bars.clear();
      uptime.maintenanceChanged();
    },
    async reload() {
      const [monitors, states] = await Promise.all([
        deps.store.listMonitors(),
        deps.store.listStates(),
      ]);
      const stored = new Set(monitors.map((monitor) => monitor.id));
      for (const { monitor } of index.rows())
        if (!stored.has(monitor.id)) index.removeMonitor(monitor.id);
      for (const monitor of monitors) index.setMonitor(monitor);
      index.setStates(states);
      bars.clear();
      uptime.reload();
    },
  };
}
