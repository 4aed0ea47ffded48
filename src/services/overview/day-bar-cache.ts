import type { CommittedBatchFacts } from '../../store/types.ts';
import type { DayBar } from './overview-details.ts';

/**
 * The uptime strip's past days (every bar but today's), per monitor, kept between calls: a
 * finished day's figures change only when what uptime reads changes for it — an incident
 * opened (it may start before midnight), escalated, resolved or retracted (a retraction
 * rewrites past days), the monitor paused, resumed or changed, or a maintenance window
 * changed. Those drop entries; the day turning over drops them all. Today's bar and the 24 h
 * figure are read per call (two uptime windows instead of 91).
 */
export interface DayBarCache {
  /** The past days' bars cached for `today` (start of the current UTC day), if any. */
  get(monitorId: string, today: number): readonly DayBar[] | undefined;
  /**
   * Stores bars read when the cache was at `generation`: dropped if anything was invalidated
   * since, so a read racing an incident never caches the figures from before it.
   */
  set(monitorId: string, today: number, bars: readonly DayBar[], generation: number): void;
  /** Bumped by every invalidation; read before the store read whose result is `set`. */
  generation(): number;
  batchCommitted(batch: CommittedBatchFacts): void;
  monitorChanged(monitorId: string): void;
  /** Everything (a maintenance window changed, or an incident named only by id changed). */
  clear(): void;
}

/**
 * What a committed batch invalidates: monitors whose incident opened, or everything when an
 * incident named only by id changed (escalated, resolved, retracted: rare next to calls).
 */
export function barsTouchedBy(batch: CommittedBatchFacts): { all: boolean; monitorIds: string[] } {
  const all =
    (batch.incidentsUpdated?.length ?? 0) > 0 ||
    batch.incidentsResolved.length > 0 ||
    (batch.incidentsRetracted?.length ?? 0) > 0;
  return { all, monitorIds: batch.incidentsOpened.map((i) => i.monitorId) };
}

export function createDayBarCache(): DayBarCache {
  const entries = new Map<string, { today: number; bars: readonly DayBar[] }>();
  let generation = 0;
  const drop = (monitorId: string): void => {
    generation += 1;
    entries.delete(monitorId);
  };
  const clear = (): void => {
    generation += 1;
    entries.clear();
  };
  return {
    get(monitorId, today) {
      const entry = entries.get(monitorId);
      if (entry === undefined) return undefined;
      if (entry.today === today) return entry.bars;
      // A new day: yesterday is no longer "today so far"; every entry is a day behind.
      entries.clear();
      return undefined;
    },
    set(monitorId, today, bars, readAt) {
      if (readAt === generation) entries.set(monitorId, { today, bars });
    },
    generation: () => generation,
    batchCommitted(batch) {
      const touched = barsTouchedBy(batch);
      if (touched.all) clear();
      else for (const id of touched.monitorIds) drop(id);
    },
    monitorChanged: drop,
    clear,
  };
}
