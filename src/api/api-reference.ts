import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AnyOperation } from '../operations/kit.ts';
import type { ExtraPaths } from './openapi.ts';
import { openApiDocument } from './openapi.ts';

/** The reference page's files, served from the installed swagger-ui-dist: no CDN at run time. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Crosscheck API reference</title>
<link rel="stylesheet" href="/api/v1/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/api/v1/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/v1/docs/swagger-ui-bundle.js"></script>
<script src="/api/v1/docs/swagger-ui-standalone-preset.js"></script>
<script src="/api/v1/docs/init.js"></script>
</body>
</html>
`;

// A file rather than an inline script, so the page works under a strict Content-Security-Policy.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/api/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

function swaggerUiDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('swagger-ui-dist/package.json'));
}

/**
 * The OpenAPI document at `/api/v1/openapi.json` and a reference page at `/api/v1/docs`.
 * Both need a credential like every route: the page is for signed-in people and scripts.
 */
export function registerApiReference(
  app: FastifyInstance,
  operations: readonly AnyOperation[],
  extraPaths: ExtraPaths = {},
): void {
  // Built once: the registry does not change while the daemon runs.
  const document = JSON.stringify(openApiDocument(operations, extraPaths));
  app.get('/api/v1/openapi.json', async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(document),
  );
  app.get('/api/v1/docs', async (_request, reply) => reply.redirect('/api/v1/docs/', 302));
  app.get('/api/v1/docs/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(PAGE),
  );
  app.get('/api/v1/docs/init.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(INIT),
  );
  const dir = swaggerUiDir();
  for (const [file, type] of Object.entries(ASSETS)) {
    app.get(`/api/v1/docs/${file}`, async (_request, reply) =>
      reply
        .type(type)
        .header('cache-control', 'public, max-age=86400')
        .send(fs.createReadStream(path.join(dir, file))),
    );
  }
}
