import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.ts';
import { requireBearerToken } from './auth.ts';
import { handleApiError } from './errors.ts';
import type { ApiServices } from './routes.ts';
import { registerRoutes } from './routes.ts';

export interface ApiServerOptions {
  services: ApiServices;
  logger: Logger;
  /** When set, every request must carry this bearer token. */
  token?: string;
}

/** Builds the HTTP API (not yet listening), so tests can use `inject`. */
export function buildApiServer(options: ApiServerOptions): FastifyInstance {
  const app = buildBareApiServer(options.logger, options.token);
  registerRoutes(app, options.services);
  return app;
}

/** A Fastify instance with Crosscheck's logging, error mapping and auth, but no routes. */
export function buildBareApiServer(logger: Logger, token: string | undefined): FastifyInstance {
  const app = Fastify({
    // tsc needs the widening (pino's Logger types msgPrefix, Fastify's base logger does not);
    // typescript-eslint resolves the two as the same type and calls it unnecessary.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: logger.child({ part: 'api' }) as FastifyBaseLogger,
    // Per-request lines would drown the check logs; errors are still logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1_048_576,
  });
  app.setErrorHandler(handleApiError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `no route ${request.method} ${request.url}`,
        issues: [],
      },
    });
  });
  if (token !== undefined) requireBearerToken(app, token);
  return app;
}
