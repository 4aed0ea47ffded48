import { useEffect, useRef } from 'preact/hooks';
import { subscribeLive } from '../../api/events.ts';
import type { LiveEvent, MonitorState } from '../../api/types.ts';
import type { PagedList } from './paged-list.ts';

/** Waits for the rendered set to settle while scrolling before resubscribing. */
const RESUBSCRIBE_DELAY_MS = 300;
/** After changes, refetch the pages in view once (counts and order), not per event. */
const REFRESH_DELAY_MS = 1_500;
/** How long the previous stream overlaps the new one while it connects. */
const HANDOVER_MS = 2_000;

interface StateEvent extends LiveEvent {
  type: 'monitor.state';
  to: MonitorState;
  verdict: string | null;
}

interface ResultEvent extends LiveEvent {
  type: 'result';
  latencyMs: number;
  at: number;
}

function isStateEvent(event: LiveEvent): event is StateEvent {
  return event.type === 'monitor.state' && 'to' in event;
}

function isResultEvent(event: LiveEvent): event is ResultEvent {
  return event.type === 'result' && 'latencyMs' in event;
}

/**
 * Keeps the rendered rows live: subscribes to the events of exactly the monitors on screen
 * (so a client's server cost follows what it shows), patches rows in place on state and result
 * events, and refetches the pages in view when monitors are added or removed or a gap is seen.
 */
export function useLiveRows(list: PagedList, renderedIds: readonly string[]): void {
  const key = renderedIds.join(',');
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const current = useRef<(() => void) | undefined>(undefined);
  /** The monitors the open stream hears about. */
  const covered = useRef<ReadonlySet<string>>(new Set());
  // Events of a stream still handing over apply to the list shown now, not the one it opened for.
  const shown = useRef(list);
  shown.current = list;

  useEffect(() => {
    const scheduleRefresh = (): void => {
      if (refreshTimer.current !== undefined) return;
      refreshTimer.current = setTimeout(() => {
        refreshTimer.current = undefined;
        shown.current.refresh();
      }, REFRESH_DELAY_MS);
    };
    const onEvent = (event: LiveEvent): void => {
      const id = event.monitorId;
      if (event.type === 'monitor.changed') {
        // A shown monitor's settings changed (paused, renamed): its page now; others (created,
        // deleted elsewhere) move counts and order, refreshed once they settle.
        if (typeof id !== 'string' || !shown.current.refreshRowOf(id)) scheduleRefresh();
        return;
      }
      if (id === undefined || id === null) return;
      if (isStateEvent(event)) {
        shown.current.patch(id, (item) => ({
          ...item,
          state: event.to,
          paused: event.to === 'paused',
          verdict: event.verdict,
        }));
        scheduleRefresh();
      } else if (isResultEvent(event)) {
        shown.current.patch(id, (item) => ({
          ...item,
          latencyMs: event.latencyMs,
          lastCheckAt: event.at,
        }));
      }
    };
    const timer = setTimeout(() => {
      const ids = key === '' ? [] : key.split(',');
      const previous = current.current;
      // A row no stream heard about until now may have changed between its page's answer and
      // this stream's start: such a change is in no stream, so read the pages again once open.
      const uncovered = ids.some((id) => !covered.current.has(id));
      covered.current = new Set(ids);
      current.current = subscribeLive(
        ids.length === 0
          ? { types: ['monitor.changed'] }
          : {
              monitor: ids,
              types: ['monitor.state', 'result', 'monitor.changed'],
              unscoped: ['monitor.changed'],
            },
        onEvent,
        () => shown.current.refresh(),
        () => {
          if (uncovered) shown.current.refresh();
        },
      );
      // The old stream stays open while the new one connects, so nothing published in
      // between is lost (an event seen twice only patches a row twice).
      if (previous !== undefined) setTimeout(previous, HANDOVER_MS);
    }, RESUBSCRIBE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [list, key]);

  useEffect(
    () => () => {
      if (refreshTimer.current !== undefined) clearTimeout(refreshTimer.current);
      refreshTimer.current = undefined;
    },
    [list],
  );
  // Leaving the page closes the stream.
  useEffect(
    () => () => {
      current.current?.();
      current.current = undefined;
    },
    [],
  );
}
