import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Paths the daemon answers itself. Anything else a browser asks for as a page is the
 * dashboard's own route (its router reads the URL), so it gets index.html.
 */
const NOT_DASHBOARD = /^\/(api|mcp|metrics|status|badge)(\/|$)/;

/**
 * The dashboard cannot run inline scripts or load anything from another origin: an injected
 * string in a monitor name can never become code. Styles may be inline (charts set them).
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
} as const;

/** Answers a browser's page request that matched no route; false when it is not one. */
export type PageFallback = (request: FastifyRequest, reply: FastifyReply) => boolean;

/** A browser asking for a page of the dashboard (not a file, not an API path). */
export function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = request.url.split('?')[0] ?? '/';
  if (NOT_DASHBOARD.test(pathname) || path.extname(pathname) !== '') return false;
  return (request.headers.accept ?? '').includes('text/html');
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Crosscheck</title></head>
<body><main><h1>The dashboard is not built</h1><p>This copy of Crosscheck has no built dashboard.
From a checkout, run <code>npm run build:web</code> (npm install runs it too) and restart. The API,
CLI and status pages work without it.</p></main></body></html>`;

/**
 * Serves the built dashboard (Vite's output) without credentials: its files hold no data, and
 * every API call it makes is authenticated like any other. Hashed assets are cached for a year;
 * index.html never, so a new version shows on the next load.
 */
export function registerDashboard(app: FastifyInstance, dir: string | undefined): PageFallback {
  if (dir === undefined) {
    app.get('/', { config: { public: true } }, async (_request, reply) =>
      reply
        .status(503)
        .type('text/html; charset=utf-8')
        .headers(SECURITY_HEADERS)
        .send(NOT_BUILT_PAGE),
    );
    return (request, reply) => {
      if (!wantsPage(request)) return false;
      void reply
        .status(503)
        .type('text/html; charset=utf-8')
        .headers(SECURITY_HEADERS)
        .send(NOT_BUILT_PAGE);
      return true;
    };
  }
  const indexHtml = fs.readFileSync(path.join(dir, 'index.html'));
  const sendIndex = (reply: FastifyReply): FastifyReply =>
    reply
      .type('text/html; charset=utf-8')
      .headers(SECURITY_HEADERS)
      .header('cache-control', 'no-cache')
      .send(indexHtml);

  void app.register(async (scope) => {
    // Static files are public like the sign-in page; the hook only sees this scope's routes.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: false,
      index: false,
      globIgnore: ['index.html'],
      setHeaders(reply, filePath) {
        reply.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'public, max-age=3600',
        );
        reply.header('x-content-type-options', 'nosniff');
      },
    });
    scope.get('/', async (_request, reply) => sendIndex(reply));
  });
  return (request, reply) => {
    if (!wantsPage(request)) return false;
    void sendIndex(reply);
    return true;
  };
}
