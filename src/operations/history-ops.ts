import { z } from 'zod';
import { parseDuration, parseSince } from '../lib/duration.ts';
import { validationError } from '../lib/errors.ts';
import { alertLogQuery, DEFAULT_ALERT_LOG_LIMIT } from '../services/alert-log-service.ts';
import { CURSORS, readPage } from './cursor.ts';
import { boolParam, defineOperation, intParam, listParam, pageOf } from './kit.ts';
import { alertLogEntrySchema } from './schemas/alerts.ts';
import { incidentDetailSchema, roundSchema, verdictSchema } from './schemas/incidents.ts';
import { resultSchema } from './schemas/results.ts';
import { incidentListItemSchema } from './schemas/status-pages.ts';
import { uptimeViewSchema } from './schemas/uptime.ts';

/** Longest uptime-view window: per-node figures come from raw results, pruned after days. */
const MAX_UPTIME_WINDOW_MS = 30 * 86_400_000;

const sinceParam = z
  .string()
  .min(1)
  .refine(
    (v) => parseSince(v, 0) !== undefined,
    'expected a duration like 1h, an ISO date or epoch ms',
  )
  .describe('a duration back from now (24h), an ISO date or epoch ms');

/** `since` as epoch ms (already validated by the schema). */
function sinceMs(value: string | undefined, now: number): number | undefined {
  return value === undefined ? undefined : parseSince(value, now);
}

export const listIncidents = defineOperation({
  name: 'incidents.list',
  summary: 'Incidents, newest first',
  input: z
    .object({
      active: boolParam.optional().describe('only open incidents'),
      monitor: z.string().min(1).optional(),
      cursor: CURSORS.incidents.optional(),
      limit: intParam(1, 10_000).optional().describe('page size (default 100)'),
    })
    .strict(),
  output: pageOf(incidentListItemSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/incidents' },
  cli: ['incidents'],
  mcp: true,
  offline: true,
  async run({ services }, input) {
    const page = await readPage(
      'incidents',
      input.limit ?? 100,
      (limit) =>
        services.queries.incidents({
          ...(input.active !== undefined ? { active: input.active } : {}),
          ...(input.monitor !== undefined ? { monitorId: input.monitor } : {}),
          ...(input.cursor !== undefined ? { after: input.cursor } : {}),
          limit,
        }),
      (i) => ({ startedAt: i.startedAt, id: i.id }),
    );
    const latest = await services.queries.latestUpdates(page.items.map((i) => i.id));
    return {
      items: page.items.map((i) => ({ ...i, latestUpdate: latest.get(i.id) ?? null })),
      nextCursor: page.nextCursor,
    };
  },
});

export const getIncident = defineOperation({
  name: 'incidents.get',
  summary: 'One incident with its evidence: every round and every node’s vote',
  input: z.object({ id: z.string().min(1) }).strict(),
  output: incidentDetailSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/incidents/{id}' },
  cli: ['incidents', 'show'],
  mcp: true,
  offline: true,
  async run({ services }, { id }) {
    return services.queries.incident(id);
  },
});

export const listResults = defineOperation({
  name: 'results.list',
  summary: 'Recent check results from every node, newest first',
  input: z
    .object({
      monitor: z.string().min(1).optional(),
      since: sinceParam.optional(),
      cursor: CURSORS.results.optional(),
      limit: intParam(1, 10_000).optional().describe('page size (default 1000)'),
    })
    .strict(),
  output: pageOf(resultSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/results' },
  cli: ['history'],
  mcp: true,
  offline: true,
  async run({ services }, input) {
    const since = sinceMs(input.since, services.clock.now());
    return readPage(
      'results',
      input.limit ?? 1_000,
      (limit) =>
        services.queries.history({
          ...(input.monitor !== undefined ? { monitorId: input.monitor } : {}),
          ...(since !== undefined ? { since } : {}),
          ...(input.cursor !== undefined ? { after: input.cursor } : {}),
          limit,
        }),
      (r) => ({ checkedAt: r.checkedAt, id: r.id }),
    );
  },
});

export const monitorUptime = defineOperation({
  name: 'monitors.uptime',
  summary: 'Uptime of one monitor over a window, overall, per region and per node',
  input: z
    .object({
      id: z.string().min(1),
      window: z
        .string()
        .default('24h')
        .refine((v) => {
          const ms = parseDuration(v);
          return ms !== undefined && ms >= 60_000 && ms <= MAX_UPTIME_WINDOW_MS;
        }, 'expected a duration between 1m and 30d, like 24h'),
    })
    .strict(),
  output: uptimeViewSchema,
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/monitors/{id}/uptime' },
  cli: ['history'],
  mcp: true,
  offline: true,
  async run({ services }, { id, window }) {
    const windowMs = parseDuration(window);
    if (windowMs === undefined)
      throw validationError([{ path: 'window', message: 'bad duration' }]);
    return services.queries.uptime(id, windowMs);
  },
});

export const listRounds = defineOperation({
  name: 'monitors.rounds',
  summary: 'Decided confirmation rounds of one monitor, newest first, with every vote',
  input: z
    .object({
      id: z.string().min(1),
      verdict: listParam(verdictSchema).optional().describe('comma-separated verdicts'),
      since: sinceParam.optional(),
      cursor: CURSORS.rounds.optional(),
      limit: intParam(1, 1_000).optional().describe('page size (default 100)'),
    })
    .strict(),
  output: pageOf(roundSchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/monitors/{id}/rounds' },
  cli: ['history'],
  mcp: true,
  offline: true,
  async run({ services }, input) {
    const since = sinceMs(input.since, services.clock.now());
    return readPage(
      'rounds',
      input.limit ?? 100,
      (limit) =>
        services.queries.rounds(input.id, {
          ...(input.verdict !== undefined ? { verdicts: input.verdict } : {}),
          ...(since !== undefined ? { since } : {}),
          ...(input.cursor !== undefined ? { after: input.cursor } : {}),
          limit,
        }),
      (r) => ({ decidedAt: r.decidedAt, id: r.id }),
    );
  },
});

export const alertLog = defineOperation({
  name: 'alerts.log',
  summary: 'Every alert decision, newest first: sent, suppressed (and why), failed, retrying',
  input: alertLogQuery.extend({ cursor: CURSORS.alerts.optional() }),
  output: pageOf(alertLogEntrySchema),
  access: 'read',
  destructive: false,
  role: 'viewer',
  http: { method: 'GET', path: '/api/v1/alerts' },
  cli: ['alerts', 'log'],
  mcp: true,
  offline: true,
  run({ services }, { cursor, ...query }) {
    return readPage(
      'alerts',
      query.limit ?? DEFAULT_ALERT_LOG_LIMIT,
      (limit) => services.alerts.list({ ...query, limit }, cursor),
      (entry) => ({ createdAt: entry.at, id: entry.id }),
    );
  },
});
