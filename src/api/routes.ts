import type { FastifyInstance } from 'fastify';
import { redactAlertRoute } from '../alerts/registry.ts';
import { redactCheckOptions } from '../checks/registry.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { Clock } from '../lib/clock.ts';
import type { NodeMetrics } from '../observability/metrics.ts';
import { AppError, validationError } from '../lib/errors.ts';
import type { AlertLogService } from '../services/alert-log-service.ts';
import { alertLogQuery } from '../services/alert-log-service.ts';
import type { MonitorService } from '../services/monitors/monitor-service.ts';
import type { HealthService } from '../services/health-service.ts';
import type { QueryService } from '../services/status-service.ts';
import type { ClusterService } from '../services/cluster/cluster-service.ts';
import type { ProbeService } from '../services/probe-service.ts';
import { registerClusterRoutes } from './cluster-routes.ts';
import { parseDuration, parseSince } from '../lib/duration.ts';
import {
  incidentListQuery,
  monitorListQuery,
  parseQuery,
  regionsQuery,
  resultListQuery,
  roundListQuery,
} from './query-params.ts';

/** Longest uptime-view window: per-node figures come from raw results, pruned after days. */
const MAX_UPTIME_WINDOW_MS = 30 * 86_400_000;

/** A `since` query value as epoch ms, or a validation error naming the parameter. */
function sinceParam(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const since = parseSince(value, now);
  if (since === undefined)
    throw validationError([
      { path: 'query.since', message: 'expected a duration like 1h, an ISO date or epoch ms' },
    ]);
  return since;
}

export interface ApiServices {
  monitors: MonitorService;
  queries: QueryService;
  health: HealthService;
  /** Every alert decision: sent, suppressed, failed, retrying. */
  alerts: AlertLogService;
  clock: Clock;
  /** Prometheus metrics; the route exists only when given. */
  metrics?: Pick<NodeMetrics, 'render' | 'contentType'>;
  /** Cluster verbs; the coordinator's API has them. */
  cluster?: ClusterService;
  /** Ad-hoc checks on every online node; the coordinator's API has it. */
  probe?: ProbeService;
}

/** A monitor as the API shows it: alert secrets and credential headers masked. */
export function presentMonitor(monitor: Monitor): Monitor {
  return {
    ...monitor,
    options: redactCheckOptions(monitor.type, monitor.options),
    alerts: monitor.alerts.map(redactAlertRoute),
    regionalAlerts: monitor.regionalAlerts.map(redactAlertRoute),
  };
}

/** Registers the JSON API under /api/v1; handlers only translate HTTP to service calls. */
export function registerRoutes(app: FastifyInstance, services: ApiServices): void {
  const { monitors, queries, health, clock } = services;

  app.get('/api/v1/health', () => health.health());
  if (services.cluster) registerClusterRoutes(app, services.cluster);

  const metrics = services.metrics;
  if (metrics) {
    app.get('/metrics', async (_request, reply) =>
      reply.type(metrics.contentType).send(await metrics.render()),
    );
  }

  app.get('/api/v1/monitors', async (request) => {
    const query = parseQuery(monitorListQuery, request.query);
    return (await monitors.list(query)).map(presentMonitor);
  });
  app.post('/api/v1/monitors', async (request, reply) => {
    const monitor = await monitors.create(request.body ?? {});
    return reply.status(201).send(presentMonitor(monitor));
  });
  app.get<{ Params: { id: string } }>('/api/v1/monitors/:id', async (request) =>
    presentMonitor(await monitors.get(request.params.id)),
  );
  app.patch<{ Params: { id: string } }>('/api/v1/monitors/:id', async (request) =>
    presentMonitor(await monitors.update(request.params.id, request.body ?? {})),
  );
  app.delete<{ Params: { id: string } }>('/api/v1/monitors/:id', async (request, reply) => {
    await monitors.remove(request.params.id);
    return reply.status(204).send();
  });
  app.post<{ Params: { id: string } }>('/api/v1/monitors/:id/pause', async (request) =>
    presentMonitor(await monitors.pause(request.params.id)),
  );
  app.post<{ Params: { id: string } }>('/api/v1/monitors/:id/resume', async (request) =>
    presentMonitor(await monitors.resume(request.params.id)),
  );

  // `/regions` is the older name of the same view.
  for (const path of ['/api/v1/monitors/:id/uptime', '/api/v1/monitors/:id/regions']) {
    app.get<{ Params: { id: string } }>(path, async (request) => {
      const { window = '24h' } = parseQuery(regionsQuery, request.query);
      const windowMs = parseDuration(window);
      if (windowMs === undefined || windowMs < 60_000 || windowMs > MAX_UPTIME_WINDOW_MS)
        throw validationError([
          { path: 'query.window', message: 'expected a duration between 1m and 30d, like 24h' },
        ]);
      return queries.uptime(request.params.id, windowMs);
    });
  }
  app.get<{ Params: { id: string } }>('/api/v1/monitors/:id/rounds', async (request) => {
    const query = parseQuery(roundListQuery, request.query);
    const since = sinceParam(query.since, clock.now());
    return queries.rounds(request.params.id, {
      ...(query.verdict !== undefined ? { verdicts: query.verdict } : {}),
      ...(since !== undefined ? { since } : {}),
      limit: query.limit ?? 100,
    });
  });

  app.get('/api/v1/status', async (request) =>
    queries.status(parseQuery(monitorListQuery, request.query)),
  );

  app.get('/api/v1/incidents', async (request) => {
    const query = parseQuery(incidentListQuery, request.query);
    return queries.incidents({
      ...(query.active !== undefined ? { active: query.active } : {}),
      ...(query.monitor !== undefined ? { monitorId: query.monitor } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
    });
  });
  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id', async (request) =>
    queries.incident(request.params.id),
  );

  app.get('/api/v1/alerts', async (request) =>
    services.alerts.list(parseQuery(alertLogQuery, request.query)),
  );

  app.post('/api/v1/probe', async (request) => {
    if (!services.probe)
      throw new AppError('UNAVAILABLE', 'probing needs the running coordinator and its nodes');
    return services.probe.probe(request.body ?? {});
  });

  app.get('/api/v1/results', async (request) => {
    const query = parseQuery(resultListQuery, request.query);
    const since = sinceParam(query.since, clock.now());
    return queries.history({
      ...(query.monitor !== undefined ? { monitorId: query.monitor } : {}),
      ...(since !== undefined ? { since } : {}),
      limit: query.limit ?? 1_000,
    });
  });
}
