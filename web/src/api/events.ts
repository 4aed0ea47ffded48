import type { LiveEvent } from './types.ts';
import { withQuery } from './client.ts';

/** Every event type the daemon streams (services/events/event-types.ts). */
const EVENT_NAMES = [
  'result',
  'monitor.state',
  'monitor.changed',
  'incident.opened',
  'incident.updated',
  'incident.resolved',
  'incident.update.posted',
  'node.state',
  'alert.decision',
] as const;

export interface LiveFilter {
  /** Only these monitors' events (the rows on screen), plus events about no monitor. */
  monitor?: readonly string[];
  types?: readonly (typeof EVENT_NAMES)[number][];
  /** These types for every monitor, whatever `monitor` says (e.g. monitor.changed for counts). */
  unscoped?: readonly (typeof EVENT_NAMES)[number][];
}

/**
 * Subscribes to the live event stream. EventSource reconnects by itself and resends the last
 * event id, so the server replays what was missed; `reset` and `overflow` mean it could not,
 * and the caller should reload what it shows (`onGap`).
 */
export function subscribeLive(
  filter: LiveFilter,
  onEvent: (event: LiveEvent) => void,
  onGap: () => void,
  onOpen?: () => void,
): () => void {
  const source = new EventSource(
    withQuery('/api/v1/events', {
      ...(filter.monitor !== undefined ? { monitor: filter.monitor } : {}),
      ...(filter.types !== undefined ? { types: filter.types } : {}),
      ...(filter.unscoped !== undefined ? { unscoped: filter.unscoped } : {}),
    }),
    { withCredentials: true },
  );
  const handle = (message: MessageEvent<string>): void => {
    try {
      onEvent(JSON.parse(message.data) as LiveEvent);
    } catch {
      // A frame we cannot parse is a gap like any other: reload rather than show stale data.
      onGap();
    }
  };
  for (const name of EVENT_NAMES) source.addEventListener(name, handle);
  source.addEventListener('reset', onGap);
  source.addEventListener('overflow', onGap);
  if (onOpen !== undefined) source.addEventListener('open', onOpen);
  return () => source.close();
}
