import type { FastifyInstance, FastifyRequest } from 'fastify';
import { registerEventRoutes } from '../api/event-routes.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { Principal } from '../operations/kit.ts';
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

/**
 * Until the server's auth hook sets `request.principal`, a request that reached a route has
 * passed the bearer-token hook (or the API is loopback-only), which is the same trust every
 * other route gives today: it acts as the local operator. Once the hook sets principals this
 * changes nothing (`??=`) and can be deleted.
 */
const LOCAL_OPERATOR: Principal = {
  userId: 'local',
  name: 'local operator',
  role: 'admin',
  access: 'read',
  via: 'local',
};

/** Serves `GET /api/v1/events` on the coordinator's API. */
export function serveEvents(api: FastifyInstance, hub: EventHub): void {
  void api.register((scope, _options, done) => {
    scope.addHook('onRequest', (request: FastifyRequest, _reply, next) => {
      request.principal ??= LOCAL_OPERATOR;
      next();
    });
    registerEventRoutes(scope, hub);
    done();
  });
}
