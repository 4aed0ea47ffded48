import { z } from 'zod';
import {
  EVENT_TYPES,
  crosscheckEventSchema,
  overflowFrameSchema,
  resetFrameSchema,
} from '../services/events/event-types.ts';

/**
 * The OpenAPI (3.1) path item of `GET /api/v1/events`, for the generated document to merge under
 * `EVENTS_PATH`. A stream has no single response body: the schema describes each frame's `data`.
 */
export const EVENTS_OPENAPI_PATH = {
  get: {
    operationId: 'events.stream',
    summary: 'Live events (Server-Sent Events)',
    description: [
      'A text/event-stream of results, monitor state changes, incidents, incident updates and notes posted, node membership',
      'changes, alert decisions and monitor changes. Each frame has `id:`, `event:` (the type) and',
      '`data:` (one JSON event). Reconnect with the `Last-Event-ID` header (or `lastEventId`) to',
      'receive exactly the events missed; at least 10 minutes (15 by default) are kept. An unknown',
      'or too old id (e.g. from before a restart) yields a `reset` frame: reload state, then go on.',
      'A client too slow to keep up gets an `overflow` frame and the stream ends: reconnect with',
      'the last id received. A comment line is sent every 15 s as a heartbeat. Monitor and group',
      'filters select events about those monitors (node events do not pass them unless their type',
      'is listed in `unscoped`). Role: viewer.',
    ].join(' '),
    tags: ['events'],
    parameters: [
      listQuery('monitor', 'Only events about these monitor ids (comma-separated, at most 500).'),
      listQuery('group', 'Only events about monitors in these groups (comma-separated).'),
      {
        name: 'types',
        in: 'query',
        required: false,
        description: 'Only these event types (comma-separated).',
        schema: { type: 'string' },
        example: 'result,incident.opened',
      },
      {
        name: 'unscoped',
        in: 'query',
        required: false,
        description:
          'Event types that pass whatever monitor and group say (still narrowed by types), e.g. a dashboard page: monitor=<its rows>&unscoped=node.state,incident.opened,incident.resolved.',
        schema: { type: 'string' },
        example: 'node.state,incident.opened,incident.resolved',
      },
      {
        name: 'lastEventId',
        in: 'query',
        required: false,
        description: 'Resume after this event id, for clients that cannot set Last-Event-ID.',
        schema: { type: 'string' },
      },
      {
        name: 'Last-Event-ID',
        in: 'header',
        required: false,
        description: 'Resume after this event id (set by EventSource on reconnect).',
        schema: { type: 'string' },
      },
    ],
    responses: {
      '200': {
        description: `The event stream. Event types: ${EVENT_TYPES.join(', ')}; control frames: reset, overflow.`,
        content: {
          'text/event-stream': {
            schema: {
              type: 'string',
              description: 'SSE frames; `data` of an event frame:',
              'x-event-data': z.toJSONSchema(
                z.intersection(z.object({ id: z.string() }), crosscheckEventSchema),
              ),
              'x-reset-data': z.toJSONSchema(resetFrameSchema),
              'x-overflow-data': z.toJSONSchema(overflowFrameSchema),
            },
          },
        },
      },
      '400': { description: 'A filter is not valid (error body with issues).' },
      '401': { description: 'No credentials.' },
    },
  },
} as const;

function listQuery(name: string, description: string) {
  return { name, in: 'query', required: false, description, schema: { type: 'string' } } as const;
}
