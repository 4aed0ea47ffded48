import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, validationError } from '../lib/errors.ts';
import type { Principal } from '../operations/kit.ts';
import { listParam, roleAtLeast } from '../operations/kit.ts';
import type { EventHub } from '../services/events/event-hub.ts';
import type { EventFilter } from '../services/events/event-types.ts';
import { EVENT_TYPES } from '../services/events/event-types.ts';
import type { EventStream } from './event-stream.ts';
import { pipeSubscription } from './event-stream.ts';

export const EVENTS_PATH = '/api/v1/events';
/** Comment lines at this interval keep proxies and idle timeouts from closing a quiet stream. */
export const DEFAULT_HEARTBEAT_MS = 15_000;
/** What a client that lost its connection waits before reconnecting (the SSE `retry:` field). */
const RECONNECT_MS = 2_000;

/** True for a request URL of the event stream (any query). */
export function isEventStreamUrl(url: string): boolean {
  return url.split('?')[0] === EVENTS_PATH;
}

/**
 * What an agent gets when it forwards the stream over its peer channel: that channel carries one
 * answer per request, and a stream never ends, so it would only pile up on the coordinator.
 */
export const EVENTS_NOT_FORWARDED = {
  status: 503,
  body: {
    error: {
      code: 'UNAVAILABLE',
      message: "live events are served by the coordinator's API only: connect to it",
      issues: [],
    },
  },
} as const;

const eventId = z.string().min(1).max(64);

/**
 * Most monitor ids one stream may name: a dashboard page names its rows (≤ 200); the check runs
 * per event per subscriber. Keep the URL under Node's 16 KB header limit too (~500 short ids).
 */
export const MAX_EVENT_MONITORS = 500;

export const eventsQuery = z
  .object({
    monitor: listParam(z.string().min(1).max(100))
      .refine((ids) => ids.length <= MAX_EVENT_MONITORS, {
        message: `at most ${MAX_EVENT_MONITORS} monitor ids`,
      })
      .optional(),
    group: listParam(z.string().min(1)).optional(),
    types: listParam(z.enum(EVENT_TYPES)).optional(),
    /** Event types delivered for every monitor and node, whatever `monitor` and `group` say. */
    unscoped: listParam(z.enum(EVENT_TYPES)).optional(),
    /** For clients that cannot set the `Last-Event-ID` header (the header wins when both are sent). */
    lastEventId: eventId.optional(),
  })
  .strict();

function parseEventsRequest(request: FastifyRequest): {
  filter: EventFilter;
  lastEventId: string | undefined;
} {
  const parsed = eventsQuery.safeParse(request.query ?? {});
  if (!parsed.success) {
    throw validationError(
      parsed.error.issues.map((issue) => ({
        path: `query.${issue.path.map(String).join('.')}`,
        message: issue.message,
      })),
    );
  }
  const { monitor, group, types, unscoped } = parsed.data;
  const header = request.headers['last-event-id'];
  const fromHeader = typeof header === 'string' && header !== '' ? header : undefined;
  if (fromHeader !== undefined && !eventId.safeParse(fromHeader).success)
    throw validationError([{ path: 'header.last-event-id', message: 'expected an event id' }]);
  return {
    filter: {
      ...(monitor === undefined ? {} : { monitorIds: new Set(monitor) }),
      ...(group === undefined ? {} : { groups: group }),
      ...(types === undefined ? {} : { types }),
      ...(unscoped === undefined ? {} : { unscoped }),
    },
    lastEventId: fromHeader ?? parsed.data.lastEventId,
  };
}

function requireViewer(request: FastifyRequest): Principal {
  const principal = request.principal;
  if (principal === undefined) throw new AppError('UNAUTHORIZED', 'sign in or send a token');
  if (!roleAtLeast(principal.role, 'viewer'))
    throw new AppError(
      'FORBIDDEN',
      `events need the viewer role; ${principal.name} is ${principal.role}`,
    );
  return principal;
}

/**
 * `GET /api/v1/events`: live events as Server-Sent Events, filtered by monitor, group and type,
 * resumable with `Last-Event-ID`. Auth is the server's (the hook that sets `request.principal`).
 */
export function registerEventRoutes(
  app: FastifyInstance,
  hub: EventHub,
  options: { heartbeatMs?: number } = {},
): void {
  const open = new Set<EventStream>();
  // Streams never finish on their own, so close would wait for every client to leave.
  app.addHook('preClose', (done) => {
    for (const stream of open) stream.end();
    done();
  });
  app.get(EVENTS_PATH, (request, reply) => {
    requireViewer(request);
    const { filter, lastEventId } = parseEventsRequest(request);
    void reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    response.write(`retry: ${RECONNECT_MS}\n\n`);
    let stream: EventStream | undefined = undefined;
    const subscribe = () =>
      hub.subscribe({
        filter,
        ...(lastEventId === undefined ? {} : { lastEventId }),
        onReady: () => stream?.wake(),
      });
    stream = pipeSubscription(response, subscribe, {
      heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      onEnd: () => {
        if (stream !== undefined) open.delete(stream);
      },
    });
    open.add(stream);
  });
}
