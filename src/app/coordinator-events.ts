import type { Monitor } from '../domain/monitor.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import { createEventHub } from '../services/events/event-hub.ts';
import type { EventHub } from '../services/events/event-hub.ts';
import { createEventSources } from '../services/events/event-sources.ts';
import type { EventSources } from '../services/events/event-sources.ts';

/** The coordinator's live events: the hub the API streams from and the sources that feed it. */
export interface CoordinatorEvents {
  hub: EventHub;
  sources: EventSources;
}

export function createCoordinatorEvents(deps: {
  clock: Clock;
  monitors: Iterable<Monitor>;
  states: Iterable<MonitorRuntimeState>;
}): CoordinatorEvents {
  // A fresh epoch per daemon run: ids handed out before a restart are recognised as stale.
  const hub = createEventHub({ clock: deps.clock, epoch: newId('run') });
  const sources = createEventSources({ sink: hub, monitors: deps.monitors, states: deps.states });
  return { hub, sources };
}
