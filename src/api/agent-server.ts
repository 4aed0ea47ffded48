import type { FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.ts';
import type { NodeMetrics } from '../observability/metrics.ts';
import type { HealthView } from '../services/health-service.ts';
import { requireBearerToken } from './auth.ts';
import { buildBareApiServer } from './server.ts';

export interface AgentApiOptions {
  logger: Logger;
  /** The agent's own token file; every local request must carry it. */
  token: string;
  /** Accepted on `GET /metrics` only, so Prometheus needs no credential that can act. */
  metricsToken: string;
  /** This node's own health (answered locally). */
  health(): Promise<HealthView>;
  metrics: Pick<NodeMetrics, 'render' | 'contentType'>;
  /** Runs any other API request on the coordinator over the peer channel. */
  forward(method: string, url: string, body: unknown): Promise<{ status: number; body: unknown }>;
}

/**
 * An agent's local API: its own health and metrics, and every other `/api/v1` route forwarded
 * to the coordinator, so the CLI works the same on every node.
 */
export function buildAgentApiServer(options: AgentApiOptions): FastifyInstance {
  const app = buildBareApiServer(options.logger);
  requireBearerToken(app, options.token, { path: '/metrics', token: options.metricsToken });
  app.get('/api/v1/health', () => options.health());
  app.get('/metrics', async (_request, reply) =>
    reply.type(options.metrics.contentType).send(await options.metrics.render()),
  );
  app.all('/api/v1/*', async (request, reply) => {
    const response = await options.forward(request.method, request.url, request.body ?? undefined);
    if (response.body === null) return reply.status(response.status).send();
    return reply.status(response.status).send(response.body);
  });
  return app;
}
