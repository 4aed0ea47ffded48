import type { SharedCause } from '../../domain/cause-group.ts';
import { sharedCauseKey } from '../../domain/cause-group.ts';
import type { Monitor } from '../../domain/monitor.ts';

/** Which monitors share a cause, rebuilt from the monitors at most once per `refreshMs`. */
export interface SharedCauseIndex {
  /** Ids of the monitors sharing `cause`; for a region, every monitor (any may fail there). */
  sharing(cause: SharedCause, now: number): Iterable<string>;
}

/**
 * The index over the live monitor map. A rebuild walks every monitor, so it is lazy and at most
 * once per `refreshMs`: an edit shows within that time, and a mass outage costs one walk.
 */
export function createSharedCauseIndex(
  monitors: () => ReadonlyMap<string, Monitor>,
  causesOf: (monitor: Monitor) => readonly SharedCause[],
  refreshMs: number,
): SharedCauseIndex {
  let builtAt = Number.NEGATIVE_INFINITY;
  let byCause = new Map<string, string[]>();

  function current(now: number): Map<string, string[]> {
    if (now - builtAt < refreshMs && now >= builtAt) return byCause;
    byCause = new Map();
    for (const monitor of monitors().values()) {
      for (const cause of causesOf(monitor)) {
        const key = sharedCauseKey(cause);
        const ids = byCause.get(key);
        if (ids === undefined) byCause.set(key, [monitor.id]);
        else ids.push(monitor.id);
      }
    }
    builtAt = now;
    return byCause;
  }

  return {
    sharing(cause, now) {
      if (cause.kind === 'region') return monitors().keys();
      return current(now).get(sharedCauseKey(cause)) ?? [];
    },
  };
}
