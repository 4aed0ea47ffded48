import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { AppError } from '../lib/errors.ts';
import { silentLogger } from '../observability/logger.ts';
import { createIncidentUpdateService } from '../services/status-pages/incident-update-service.ts';
import type { IncidentUpdateService } from '../services/status-pages/incident-update-service.ts';
import { createPageLoader } from '../services/status-pages/page-loader.ts';
import type { PublicPages } from '../services/status-pages/public-pages.ts';
import { createPublicPages } from '../services/status-pages/public-pages.ts';
import type { StatusPageService } from '../services/status-pages/status-page-service.ts';
import { createStatusPageService } from '../services/status-pages/status-page-service.ts';
import { storeStateSource } from '../services/status-service.ts';
import { batch, makeIncident, makeMonitor, makeState } from '../store/contract/fixtures.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { buildPublicServer } from './public-server.ts';
import { ACME_PAGE } from './public-pages.fixture.ts';
import { registerPublicRoutes, statusPageRewriter } from './public-routes.ts';
import { buildApiServer } from './server.ts';

const NOW = Date.UTC(2026, 5, 1, 12);

/** Counts every store method call, to prove cached requests never reach the store. */
function countingStore(store: Store): { store: Store; calls: () => number; reset: () => void } {
  let calls = 0;
  const proxy = new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls: () => calls, reset: () => (calls = 0) };
}

async function get(base: string, path: string, headers: Record<string, string> = {}) {
  const response = await request(`${base}${path}`, { headers });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: await response.body.text(),
  };
}

describe('public status routes over a real listening server', () => {
  const clock = new FakeClock(NOW);
  let cleanup: () => Promise<void>;
  let counted: ReturnType<typeof countingStore>;
  let pages: PublicPages;
  let service: StatusPageService;
  let updates: IncidentUpdateService;
  let api: FastifyInstance;
  let publicServer: FastifyInstance;
  let apiUrl: string;
  let publicUrl: string;

  before(async () => {
    const temp = await tempSqliteStore();
    cleanup = temp.cleanup;
    const store = temp.store;
    counted = countingStore(store);
    for (const id of ['m1', 'm2', 'hidden'])
      await store.insertMonitor(
        makeMonitor(id, {
          name: `Shop ${id}`,
          target: `https://10.0.0.1/${id}`,
          createdAt: NOW - 86_400_000,
        }),
      );
    await store.commitBatch(
      batch({
        states: [
          makeState('m1', { status: 'down', lastLatencyMs: 42, lastMessage: 'secret-error' }),
        ],
        incidentsOpened: [{ ...makeIncident('inc-1', 'm1', NOW - 600_000), cause: 'secret-cause' }],
      }),
    );
    pages = createPublicPages({
      store: counted.store,
      clock,
      ttlMs: 10_000,
      load: createPageLoader({
        store: counted.store,
        states: storeStateSource(counted.store),
        clock,
      }),
    });
    await pages.ready();
    service = createStatusPageService({
      store,
      clock,
      newId: () => 'sp-1',
      onChange: () => pages.pagesChanged(),
    });
    let n = 0;
    updates = createIncidentUpdateService({
      store,
      clock,
      newId: () => `upd-${++n}`,
      onPublicUpdate: (_u, monitorId) => pages.monitorChanged(monitorId),
    });
    await service.create(ACME_PAGE);
    await updates.add(
      { incident: 'inc-1', status: 'identified', message: 'public-words', public: true },
      'alice',
    );
    await updates.add(
      { incident: 'inc-1', status: 'monitoring', message: 'internal-words', public: false },
      'alice',
    );

    api = buildApiServer({
      services: {} as never,
      operations: [],
      logger: silentLogger(),
      authenticate: () => Promise.reject(new AppError('UNAUTHORIZED', 'no credentials')),
      rewriteUrl: statusPageRewriter(pages),
    });
    registerPublicRoutes(api, { pages, maxAgeS: 10 });
    apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
    publicServer = buildPublicServer({ logger: silentLogger(), pages, maxAgeS: 10 });
    publicUrl = await publicServer.listen({ host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    await api.close();
    await publicServer.close();
    await cleanup();
  });

  it('serves the page without login, cacheable, with an ETag that answers 304', async () => {
    const page = await get(apiUrl, '/status/acme');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.equal(page.headers['cache-control'], 'public, max-age=10');
    assert.match(page.body, /Shop m1/);
    assert.match(page.body, /public-words/);
    for (const hidden of [
      'internal-words',
      'secret-error',
      'secret-cause',
      '10.0.0.1',
      'Shop hidden',
    ])
      assert.ok(!page.body.includes(hidden), `${hidden} shown`);
    const etag = String(page.headers.etag);
    const again = await get(apiUrl, '/status/acme', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    const css = await get(publicUrl, '/status-assets/status.css');
    assert.match(css.body, /prefers-color-scheme: dark/);
    assert.equal((await get(publicUrl, '/status-assets/favicon.svg')).status, 200);
  });

  it('sends the page gzipped (once, not twice) to clients that accept it', async () => {
    for (const base of [apiUrl, publicUrl]) {
      const response = await request(`${base}/status/acme`, {
        headers: { 'accept-encoding': 'gzip' },
      });
      assert.equal(response.headers['content-encoding'], 'gzip');
      const html = gunzipSync(Buffer.from(await response.body.arrayBuffer())).toString('utf8');
      assert.match(html, /^<!doctype html>/);
    }
  });

  it('answers an unknown slug with the 404 page; the API itself still needs a login', async () => {
    const missing = await get(apiUrl, '/status/nope');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /Not found/);
    assert.equal((await get(apiUrl, '/api/v1/status-pages')).status, 401);
  });

  it('serves a page at / of its custom domain, and its feeds there', async () => {
    const home = await get(publicUrl, '/', { host: 'Status.Acme.test:8080' });
    assert.equal(home.status, 200);
    assert.match(home.body, /<h1>Acme<\/h1>/);
    const rss = await get(publicUrl, '/feed.rss', { host: 'status.acme.test' });
    assert.equal(rss.status, 200);
    assert.match(rss.body, /<link>http:\/\/status\.acme\.test\/status\/acme<\/link>/);
    assert.equal((await get(publicUrl, '/', { host: 'other.test' })).status, 404);
  });

  it('writes RSS and Atom with public updates only', async () => {
    const rss = await get(publicUrl, '/status/acme/feed.rss');
    assert.match(String(rss.headers['content-type']), /application\/rss\+xml/);
    assertWellFormed(rss.body);
    assert.match(
      rss.body,
      /<rss [^>]*version="2\.0"[\s\S]*<channel>[\s\S]*<item>[\s\S]*public-words/,
    );
    assert.ok(!rss.body.includes('internal-words'));
    const atom = await get(publicUrl, '/status/acme/feed.atom');
    assertWellFormed(atom.body);
    assert.match(
      atom.body,
      /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">[\s\S]*<entry>[\s\S]*public-words/,
    );
    assert.ok(!atom.body.includes('internal-words'));
  });

  it('summarises the page as JSON', async () => {
    const summary = await get(publicUrl, '/status/acme/summary.json');
    const body = JSON.parse(summary.body) as {
      status: string;
      groups: { monitors: { id: string; status: string }[] }[];
      activeIncidents: { id: string; latestUpdate: string }[];
    };
    assert.equal(body.status, 'outage');
    assert.deepEqual(
      body.groups[0]?.monitors.map((m) => [m.id, m.status]),
      [
        ['m1', 'outage'],
        ['m2', 'unknown'],
      ],
    );
    assert.equal(body.activeIncidents[0]?.latestUpdate, 'public-words');
  });

  it('draws the three badges, with a window, for published monitors only', async () => {
    const status = await get(publicUrl, '/badge/m1/status.svg');
    assert.equal(status.status, 200);
    assert.match(String(status.headers['content-type']), /image\/svg\+xml/);
    assert.match(status.body, /Shop m1: down/);
    const uptime = await get(publicUrl, '/badge/m1/uptime.svg?window=7d');
    assert.match(uptime.body, /uptime 7d: /);
    assert.match((await get(publicUrl, '/badge/m2/uptime.svg')).body, /uptime 30d/);
    assert.match((await get(publicUrl, '/badge/m1/latency.svg')).body, /latency: 42 ms/);

    const unpublished = await get(publicUrl, '/badge/hidden/status.svg');
    const nonexistent = await get(publicUrl, '/badge/no-such-monitor/status.svg');
    const badWindow = await get(publicUrl, '/badge/m1/uptime.svg?window=1y');
    for (const response of [unpublished, nonexistent, badWindow]) {
      assert.equal(response.status, 404);
      assert.equal(response.body, nonexistent.body);
      assert.equal(response.headers['content-type'], nonexistent.headers['content-type']);
      assert.equal(response.headers['content-length'], nonexistent.headers['content-length']);
    }
  });

  it('rebuilds a page once for many concurrent requests, and again only after a change', async () => {
    pages.pagesChanged();
    await pages.ready();
    counted.reset();
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        get(
          publicUrl,
          ['/status/acme', '/badge/m1/status.svg', '/status/acme/feed.rss'][i % 3] ?? '',
        ),
      ),
    );
    assert.ok(responses.every((r) => r.status === 200));
    const oneRebuild = counted.calls();
    assert.ok(oneRebuild > 0);
    await Promise.all(Array.from({ length: 100 }, () => get(publicUrl, '/status/acme')));
    await get(publicUrl, '/status/nope');
    assert.equal(counted.calls(), oneRebuild, 'cached requests read nothing');

    // A public update drops the page's model: the next request rebuilds it (once).
    await updates.add(
      { incident: 'inc-1', status: 'monitoring', message: 'fix-deployed', public: true },
      'alice',
    );
    counted.reset();
    const after = await Promise.all(
      Array.from({ length: 50 }, () => get(publicUrl, '/status/acme')),
    );
    assert.ok(after.every((r) => r.body.includes('fix-deployed')));
    assert.equal(counted.calls(), oneRebuild, 'one model rebuild');

    // An edit drops everything; the new title shows at once.
    await service.update('acme', { title: 'Acme Corp' });
    assert.match((await get(publicUrl, '/status/acme')).body, /Acme Corp/);
  });

  it('serves nothing but public routes on the public listener', async () => {
    for (const path of [
      '/api/v1/health',
      '/api/v1/status-pages',
      '/metrics',
      '/mcp',
      '/',
      '/docs',
    ]) {
      const response = await get(publicUrl, path);
      assert.equal(response.status, 404, path);
    }
    assert.equal((await get(publicUrl, '/status/acme')).status, 200);
  });
});

/**
 * A strict well-formedness check without an XML parser: every tag opens and closes in order
 * (CDATA and the declaration aside), and there is exactly one root element.
 */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/^<\?xml[^>]*\?>/, '');
  const stack: string[] = [];
  let roots = 0;
  for (const match of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)([^>]*?)(\/?)>/g)) {
    const [, closing, name = '', , selfClosing] = match;
    if (closing === '/') {
      assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    } else if (selfClosing !== '/') {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'one root element');
  assert.doesNotMatch(body.replace(/<[^>]*>/g, ''), /<|&(?!(amp|lt|gt|quot|apos|#\d+);)/);
}
