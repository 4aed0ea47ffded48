import type { FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.ts';
import type { PublicPages } from '../services/status-pages/public-pages.ts';
import { registerPublicRoutes, statusPageRewriter } from './public-routes.ts';
import { buildBareApiServer } from './server.ts';

/**
 * The `--public-listen` server: status pages, feeds, badges and their assets, nothing else
 * (no API, metrics, MCP or dashboard), so it can face the internet while the API does not.
 */
export function buildPublicServer(options: {
  logger: Logger;
  pages: PublicPages;
  maxAgeS: number;
  onPrepared?: (key: string) => void;
}): FastifyInstance {
  const app = buildBareApiServer(options.logger.child({ listener: 'public' }), {
    rewriteUrl: statusPageRewriter(options.pages),
  });
  const { pages, maxAgeS, onPrepared } = options;
  registerPublicRoutes(app, {
    pages,
    maxAgeS,
    ...(onPrepared === undefined ? {} : { onPrepared }),
  });
  return app;
}
