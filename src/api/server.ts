import fastifyCompress from '@fastify/compress';
import type { IncomingMessage } from 'node:http';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../observability/logger.ts';
import type { NodeMetrics } from '../observability/metrics.ts';
import type { AnyOperation, Principal } from '../operations/kit.ts';
import { OPERATIONS } from '../operations/registry.ts';
import type { OperationServices } from '../operations/services.ts';
import { registerApiReference } from './api-reference.ts';
import type { PageFallback } from './dashboard-routes.ts';
import { registerDashboard, wantsPage } from './dashboard-routes.ts';
import { handleApiError } from './errors.ts';
import type { ExtraPaths } from './openapi.ts';
import { registerOperationRoutes } from './operation-routes.ts';
import { registerEvidenceRoutes } from './evidence-routes.ts';

/** Resolves who sent a request (token, session); throws UNAUTHORIZED when nobody proved it. */
export type Authenticate = (request: FastifyRequest) => Promise<Principal>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without credentials (sign-in, first-run setup); the list stays tiny on purpose. */
    public?: boolean;
  }
}

export interface ApiServerOptions {
  services: OperationServices;
  logger: Logger;
  authenticate: Authenticate;
  /** Every operation unless a test narrows it. */
  operations?: readonly AnyOperation[];
  /** Prometheus metrics; the route exists only when given. */
  metrics?: Pick<NodeMetrics, 'render' | 'contentType'>;
  /** Routes served outside the registry (the event stream), for the OpenAPI document. */
  extraPaths?: ExtraPaths;
  /**
   * Serves the dashboard: `dir` is its build (dist/web), undefined when it is not built (a page
   * then says how to build it). Absent: no dashboard routes at all.
   */
  dashboard?: { dir: string | undefined };
  /** Rewrites a request's URL before routing (status pages on their custom domains). */
  rewriteUrl?: UrlRewriter;
}

/** Maps a raw request to the URL to route it by (its own URL when nothing applies). */
export type UrlRewriter = (request: {
  url?: string | undefined;
  headers: { host?: string | undefined };
}) => string;

/** Builds the HTTP API (not yet listening), so tests can use `inject`. */
export function buildApiServer(options: ApiServerOptions): FastifyInstance {
  let fallback: PageFallback | undefined;
  const app = buildBareApiServer(options.logger, {
    pageFallback: (request, reply) => (fallback === undefined ? false : fallback(request, reply)),
    ...(options.rewriteUrl !== undefined ? { rewriteUrl: options.rewriteUrl } : {}),
  });
  requireAuthentication(app, options.authenticate);
  if (options.dashboard !== undefined) fallback = registerDashboard(app, options.dashboard.dir);
  const operations = options.operations ?? OPERATIONS;
  // In a child scope so the compression plugin (registered above, loaded on ready) sees them.
  void app.register((scope, _opts, done) => {
    registerOperationRoutes(scope, operations, options.services);
    registerEvidenceRoutes(scope, options.services);
    done();
  });
  registerApiReference(app, operations, options.extraPaths);
  const metrics = options.metrics;
  if (metrics) {
    app.get('/metrics', async (_request, reply) =>
      reply.type(metrics.contentType).send(await metrics.render()),
    );
  }
  return app;
}

/**
 * Every request proves who sent it before any route runs, loopback included: another local
 * process or user must not be able to drive the daemon. Public routes opt out one by one.
 */
export function requireAuthentication(app: FastifyInstance, authenticate: Authenticate): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public === true) return;
    // The dashboard's page URLs match no route; index.html holds no data, so no sign-in either.
    if (request.is404 && wantsPage(request)) return;
    request.principal = await authenticate(request);
  });
}

/**
 * A Fastify instance with Crosscheck's logging and error mapping, but no routes or auth.
 * `pageFallback` may answer an unmatched request first (the dashboard's own page URLs);
 * `rewriteUrl` maps a request before routing (status pages on their custom domains).
 */
export function buildBareApiServer(
  logger: Logger,
  options: { pageFallback?: PageFallback; rewriteUrl?: UrlRewriter } = {},
): FastifyInstance {
  const { pageFallback, rewriteUrl } = options;
  const app = Fastify({
    ...(rewriteUrl === undefined
      ? {}
      : { rewriteUrl: (request: IncomingMessage) => rewriteUrl(request) }),
    // tsc needs the widening (pino's Logger types msgPrefix, Fastify's base logger does not);
    // typescript-eslint resolves the two as the same type and calls it unnecessary.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: logger.child({ part: 'api' }) as FastifyBaseLogger,
    // Per-request lines would drown the check logs; errors are still logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1_048_576,
  });
  app.setErrorHandler(handleApiError);
  // A dashboard page of 100 monitors carries 9,000 uptime bars (compact strips, still ~60 KiB
  // for busy monitors): compressed it is a fraction of the bytes. Streams (events, MCP) hijack the response and are never buffered by this.
  void app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  app.setNotFoundHandler((request, reply) => {
    if (pageFallback?.(request, reply) === true) return;
    void reply.status(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `no route ${request.method} ${request.url}`,
        issues: [],
      },
    });
  });
  return app;
}
