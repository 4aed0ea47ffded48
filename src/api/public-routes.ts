import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PublicPages } from '../services/status-pages/public-pages.ts';
import { BADGE_WINDOWS, latencyBadge, statusBadge, uptimeBadge } from '../status-pages/badge.ts';
import type { BadgeWindow } from '../status-pages/badge.ts';
import type { StatusPageModel } from '../status-pages/model.ts';
import { renderAtom, renderRss } from '../status-pages/render-feed.ts';
import { ASSET_PATHS, renderNotFoundPage } from '../status-pages/render-page.ts';
import { renderStatusPage } from '../status-pages/render-page.ts';
import { pageSummary } from '../status-pages/summary.ts';
import type { UrlRewriter } from './server.ts';

// Status pages, their feeds and summary, badges and assets: served without login on the API
// address and on the public listener. Every body is rendered once per page model (rebuilt at
// most every few seconds) and sent with an ETag, so a flood of requests costs hashing nothing.

const ASSET_DIR = new URL('../status-pages/assets/', import.meta.url);
const PUBLIC = { config: { public: true } } as const;
/** Paths a custom domain serves at its root, mapped onto the page's own. */
const HOST_PATHS = new Set(['/', '/feed.rss', '/feed.atom', '/summary.json']);

interface Rendered {
  body: string;
  etag: string;
  /** The body gzipped once (null when too small to gain), sent to clients that accept it. */
  gzip: Buffer | null;
}

/** Bodies smaller than this are sent as they are. */
const GZIP_FROM_BYTES = 1_024;

interface Asset extends Rendered {
  type: string;
}

function rendered(body: string): Rendered {
  return {
    body,
    etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
    gzip: Buffer.byteLength(body) < GZIP_FROM_BYTES ? null : gzipSync(body),
  };
}

/** Renders per model and kind (and origin, for feeds), at most a few entries per model. */
function createRenderMemo() {
  const memo = new WeakMap<StatusPageModel, Map<string, Rendered>>();
  return (model: StatusPageModel, key: string, render: () => string): Rendered => {
    let forModel = memo.get(model);
    if (forModel === undefined) memo.set(model, (forModel = new Map<string, Rendered>()));
    const hit = forModel.get(key);
    if (hit !== undefined) return hit;
    const value = rendered(render());
    // Feeds vary by Host; a client inventing hosts must not grow this without bound.
    if (forModel.size < 16) forModel.set(key, value);
    return value;
  };
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  type: string,
  value: Rendered,
  maxAgeS: number,
): FastifyReply {
  const gzip = value.gzip !== null && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  // Each encoding is its own representation, so it has its own validator.
  const etag = gzip ? `${value.etag.slice(0, -1)}-gz"` : value.etag;
  void reply
    .header('cache-control', `public, max-age=${maxAgeS}`)
    .header('etag', etag)
    .header('x-content-type-options', 'nosniff');
  if (value.gzip !== null) void reply.header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  if (gzip && value.gzip !== null)
    return reply.type(type).header('content-encoding', 'gzip').send(value.gzip);
  return reply.type(type).send(value.body);
}

/** The scheme and host a request came to, for the absolute links feeds need. */
function originOf(request: FastifyRequest): string {
  const forwarded = request.headers['x-forwarded-proto'];
  const scheme = forwarded === 'https' ? 'https' : request.protocol;
  return `${scheme}://${request.host}`;
}

function loadAsset(name: string, type: string): Asset {
  return { ...rendered(fs.readFileSync(new URL(name, ASSET_DIR), 'utf8')), type };
}

export interface PublicRoutesOptions {
  pages: PublicPages;
  /** Max-age of public responses, seconds (the model's rebuild period). */
  maxAgeS: number;
}

/** Registers every public route on `app` (no login: `config.public`). */
export function registerPublicRoutes(app: FastifyInstance, options: PublicRoutesOptions): void {
  const { pages, maxAgeS } = options;
  const memo = createRenderMemo();
  const notFoundPage = rendered(renderNotFoundPage());
  const assets: Record<string, Asset> = {
    [ASSET_PATHS.css]: loadAsset('status.css', 'text/css; charset=utf-8'),
    [ASSET_PATHS.favicon]: loadAsset('favicon.svg', 'image/svg+xml'),
  };

  const pageNotFound = (reply: FastifyReply) =>
    reply.status(404).type('text/html; charset=utf-8').send(notFoundPage.body);
  // One answer for every badge that is not published, so badges reveal no monitor's existence.
  const badgeNotFound = (reply: FastifyReply) =>
    reply.status(404).type('text/plain; charset=utf-8').send('not found\n');

  for (const [path, asset] of Object.entries(assets)) {
    app.get(path, PUBLIC, (request, reply) => send(request, reply, asset.type, asset, 86_400));
  }

  type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;
  const pageRoute = (
    suffix: string,
    type: string,
    render: (
      model: StatusPageModel,
      request: FastifyRequest,
    ) => { key: string; body: () => string },
  ) =>
    app.get(`/status/:slug${suffix}`, PUBLIC, async (request: SlugRequest, reply) => {
      const model = await pages.bySlug(request.params.slug);
      if (model === undefined) return pageNotFound(reply);
      const { key, body } = render(model, request);
      return send(request, reply, type, memo(model, key, body), maxAgeS);
    });

  pageRoute('', 'text/html; charset=utf-8', (model) => ({
    key: 'html',
    body: () => renderStatusPage(model),
  }));
  pageRoute('/summary.json', 'application/json; charset=utf-8', (model) => ({
    key: 'json',
    body: () => JSON.stringify(pageSummary(model)),
  }));
  pageRoute('/feed.rss', 'application/rss+xml; charset=utf-8', (model, request) => {
    const origin = originOf(request);
    return { key: `rss ${origin}`, body: () => renderRss(model, origin) };
  });
  pageRoute('/feed.atom', 'application/atom+xml; charset=utf-8', (model, request) => {
    const origin = originOf(request);
    return { key: `atom ${origin}`, body: () => renderAtom(model, origin) };
  });

  type BadgeRequest = FastifyRequest<{
    Params: { monitor: string };
    Querystring: { window?: string };
  }>;
  const badgeRoute = (
    name: string,
    render: (request: BadgeRequest) => ((m: Parameters<typeof statusBadge>[0]) => string) | null,
  ) =>
    app.get(`/badge/:monitor/${name}`, PUBLIC, async (request: BadgeRequest, reply) => {
      const draw = render(request);
      if (draw === null) return badgeNotFound(reply);
      const monitor = await pages.badgeMonitor(request.params.monitor);
      if (monitor === undefined) return badgeNotFound(reply);
      return send(request, reply, 'image/svg+xml', rendered(draw(monitor)), maxAgeS);
    });

  badgeRoute('status.svg', () => statusBadge);
  badgeRoute('latency.svg', () => latencyBadge);
  badgeRoute('uptime.svg', (request) => {
    const window = request.query.window ?? '30d';
    if (!(BADGE_WINDOWS as readonly string[]).includes(window)) return null;
    return (monitor) => uptimeBadge(monitor, window as BadgeWindow);
  });
}

/**
 * Routes a custom domain's root paths to its page (`status.example.com/` → `/status/<slug>`);
 * every other request keeps its URL.
 */
export function statusPageRewriter(pages: Pick<PublicPages, 'slugForHost'>): UrlRewriter {
  return (request) => {
    const url = request.url ?? '/';
    const host = request.headers.host;
    if (host === undefined) return url;
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (!HOST_PATHS.has(path)) return url;
    const slug = pages.slugForHost(host);
    if (slug === undefined) return url;
    return `/status/${slug}${path === '/' ? '' : path}${query === -1 ? '' : url.slice(query)}`;
  };
}
