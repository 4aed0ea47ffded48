import { useEffect, useState } from 'preact/hooks';
import { subscribeLive } from '../api/events.ts';
import type { LiveFilter } from '../api/events.ts';

/** What changed, as counters a page adds to its resources' deps to reload them. */
export interface LiveTicks {
  results: number;
  state: number;
  incidents: number;
}

/** Reloads are spaced by at least this much, so a busy monitor does not refetch per result. */
const MIN_RELOAD_GAP_MS = 1_500;

/**
 * Subscribes to the live stream and turns events into reload counters (throttled); a gap in the
 * stream bumps every counter, since anything may have been missed. `key` names the filter;
 * undefined subscribes to nothing yet.
 */
export function useLiveTicks(filter: LiveFilter, key: string | undefined): LiveTicks {
  const [ticks, setTicks] = useState<LiveTicks>({ results: 0, state: 0, incidents: 0 });
  useEffect(() => {
    // No key yet: the page does not know what to follow (its first load is still on the way).
    if (key === undefined) return undefined;
    const pending = new Set<keyof LiveTicks>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = (): void => {
      timer = undefined;
      const kinds = [...pending];
      pending.clear();
      setTicks((current) => {
        const next = { ...current };
        for (const kind of kinds) next[kind] += 1;
        return next;
      });
    };
    const bump = (...kinds: (keyof LiveTicks)[]): void => {
      for (const kind of kinds) pending.add(kind);
      timer ??= setTimeout(flush, MIN_RELOAD_GAP_MS);
    };
    const stop = subscribeLive(
      filter,
      (event) => {
        if (event.type === 'result') bump('results');
        else if (event.type.startsWith('incident.') || event.type === 'alert.decision')
          bump('incidents', 'state');
        else if (event.type === 'monitor.state' || event.type === 'monitor.changed') bump('state');
      },
      () => bump('results', 'state', 'incidents'),
    );
    return () => {
      stop();
      if (timer !== undefined) clearTimeout(timer);
    };
    // A new filter object with the same key is the same stream.
  }, [key]);
  return ticks;
}
