import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PublicPages } from '../services/status-pages/public-pages.ts';
import { BADGE_WINDOWS, latencyBadge, statusBadge, uptimeBadge } from '../status-pages/badge.ts';
import type { BadgeWindow } from '../status-pages/badge.ts';
import type { PublicMonitor, StatusPageModel } from '../status-pages/model.ts';
import { renderAtom, renderRss } from '../status-pages/render-feed.ts';
import { ASSET_PATHS, renderNotFoundPage } from '../status-pages/render-page.ts';
import { renderStatusPage } from '../status-pages/render-page.ts';
import { pageSummary } from '../status-pages/summary.ts';
import type { PreparedBody } from './public-bodies.ts';
import { prepareBody, sendPrepared } from './public-bodies.ts';
import type { UrlRewriter } from './server.ts';

// Status pages, their feeds and summary, badges and assets: served without login on the API
// address and on the public listener. Every body is rendered and compressed once per page model
// (rebuilt at most once per max-age, single-flight) and kept beside it, so a flood of requests
// costs picking bytes and comparing an ETag; the model's own objects key the memo, so a rebuilt
// model drops the old bodies with it.

const ASSET_DIR = new URL('../status-pages/assets/', import.meta.url);
/** Public, and never handed to the compression plugin: the bodies come compressed already. */
const PUBLIC = { config: { public: true }, compress: false } as const;
/** Paths a custom domain serves at its root, mapped onto the page's own. */
const HOST_PATHS = new Set(['/', '/feed.rss', '/feed.atom', '/summary.json']);
/** Bodies kept per model or monitor (feeds vary by Host; invented hosts must not grow this). */
const KEPT_PER_OWNER = 16;

/** Prepares a body once per owner (a page model or one of its monitors) and key. */
function createBodyMemo(onPrepared: (key: string) => void) {
  const memo = new WeakMap<object, Map<string, Promise<PreparedBody>>>();
  return (owner: object, key: string, type: string, render: () => string) => {
    let forOwner = memo.get(owner);
    if (forOwner === undefined)
      memo.set(owner, (forOwner = new Map<string, Promise<PreparedBody>>()));
    const hit = forOwner.get(key);
    if (hit !== undefined) return hit;
    if (forOwner.size >= KEPT_PER_OWNER) return prepareBody(render(), type, { compress: false });
    onPrepared(key);
    const prepared = prepareBody(render(), type);
    forOwner.set(key, prepared);
    const kept = forOwner;
    prepared.catch(() => kept.delete(key));
    return prepared;
  };
}

/** The scheme and host a request came to, for the absolute links feeds need. */
function originOf(request: FastifyRequest): string {
  const forwarded = request.headers['x-forwarded-proto'];
  const scheme = forwarded === 'https' ? 'https' : request.protocol;
  return `${scheme}://${request.host}`;
}

function loadAsset(name: string, type: string): Promise<PreparedBody> {
  return prepareBody(fs.readFileSync(new URL(name, ASSET_DIR), 'utf8'), type);
}

export interface PublicRoutesOptions {
  pages: PublicPages;
  /** Max-age of public responses, seconds (the model's rebuild period). */
  maxAgeS: number;
  /** Told each time a body is rendered and compressed for keeping (tests count them). */
  onPrepared?: (key: string) => void;
}

/** Registers every public route on `app` (no login: `config.public`). */
export function registerPublicRoutes(app: FastifyInstance, options: PublicRoutesOptions): void {
  const { pages, maxAgeS } = options;
  const memo = createBodyMemo(options.onPrepared ?? (() => undefined));
  const notFoundPage = renderNotFoundPage();
  const assets: Record<string, Promise<PreparedBody>> = {
    [ASSET_PATHS.css]: loadAsset('status.css', 'text/css; charset=utf-8'),
    [ASSET_PATHS.favicon]: loadAsset('favicon.svg', 'image/svg+xml'),
    [ASSET_PATHS.script]: loadAsset('live.js', 'text/javascript; charset=utf-8'),
  };

  const pageNotFound = (reply: FastifyReply) =>
    reply.status(404).type('text/html; charset=utf-8').send(notFoundPage);
  // One answer for every badge that is not published, so badges reveal no monitor's existence.
  const badgeNotFound = (reply: FastifyReply) =>
    reply.status(404).type('text/plain; charset=utf-8').send('not found\n');

  for (const [path, asset] of Object.entries(assets)) {
    app.get(path, PUBLIC, async (request, reply) =>
      sendPrepared(request, reply, await asset, 86_400),
    );
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
      return sendPrepared(request, reply, await memo(model, key, type, body), maxAgeS);
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
  /** `draw` answers the badge's memo key and drawing, or null for a request no badge answers. */
  const badgeRoute = (
    name: string,
    draw: (request: BadgeRequest) => { key: string; svg: (m: PublicMonitor) => string } | null,
  ) =>
    app.get(`/badge/:monitor/${name}`, PUBLIC, async (request: BadgeRequest, reply) => {
      const badge = draw(request);
      if (badge === null) return badgeNotFound(reply);
      const monitor = await pages.badgeMonitor(request.params.monitor);
      if (monitor === undefined) return badgeNotFound(reply);
      // Keyed by the model's own monitor object: a rebuilt model draws its badges afresh.
      const body = await memo(monitor, badge.key, 'image/svg+xml', () => badge.svg(monitor));
      return sendPrepared(request, reply, body, maxAgeS);
    });

  badgeRoute('status.svg', () => ({ key: 'status', svg: statusBadge }));
  badgeRoute('latency.svg', () => ({ key: 'latency', svg: latencyBadge }));
  badgeRoute('uptime.svg', (request) => {
    const window = request.query.window ?? '30d';
    if (!(BADGE_WINDOWS as readonly string[]).includes(window)) return null;
    return { key: `uptime ${window}`, svg: (m) => uptimeBadge(m, window as BadgeWindow) };
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
