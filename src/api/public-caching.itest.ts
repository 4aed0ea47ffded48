import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { silentLogger } from '../observability/logger.ts';
import { createIncidentUpdateService } from '../services/status-pages/incident-update-service.ts';
import type { IncidentUpdateService } from '../services/status-pages/incident-update-service.ts';
import { createPageLoader } from '../services/status-pages/page-loader.ts';
import type { PageLoader } from '../services/status-pages/page-loader.ts';
import { createPublicPages } from '../services/status-pages/public-pages.ts';
import type { PublicPages } from '../services/status-pages/public-pages.ts';
import { createStatusPageService } from '../services/status-pages/status-page-service.ts';
import { storeStateSource } from '../services/status-service.ts';
import { batch, makeIncident, makeMonitor, makeState } from '../store/contract/fixtures.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { buildPublicServer } from './public-server.ts';
import { ACME_PAGE } from './public-pages.fixture.ts';

// The public side's cache, counted through the injected loader and a fake clock (no timing
// assertions): one model rebuild per TTL, the same bytes in between, validators, encodings.

const NOW = Date.UTC(2026, 5, 1, 12);
const TTL_MS = 10_000;

interface Fetched {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  const response = await request(url, { headers });
  return {
    status: response.statusCode,
    headers: response.headers,
    bytes: Buffer.from(await response.body.arrayBuffer()),
  };
}

describe('public pages: prebuilt bodies, validators and rebuilds', () => {
  const clock = new FakeClock(NOW);
  let store: Store;
  let cleanup: () => Promise<void>;
  let rebuilds = 0;
  let loads = 0;
  const prepared: string[] = [];
  let pages: PublicPages;
  let updates: IncidentUpdateService;
  let server: FastifyInstance;
  let base: string;

  before(async () => {
    const temp = await tempSqliteStore();
    ({ store, cleanup } = temp);
    for (const id of ['m1', 'm2'])
      await store.insertMonitor(
        makeMonitor(id, { name: `Shop ${id}`, createdAt: NOW - 86_400_000 }),
      );
    await store.commitBatch(batch({ states: [makeState('m1', { status: 'up' })] }));
    const load: PageLoader = createPageLoader({ store, states: storeStateSource(store), clock });
    pages = createPublicPages({
      store,
      clock,
      ttlMs: TTL_MS,
      load: (page) => {
        loads++;
        return load(page);
      },
      onRebuilt: () => rebuilds++,
    });
    const service = createStatusPageService({
      store,
      clock,
      newId: () => 'sp-1',
      onChange: () => pages.pagesChanged(),
    });
    updates = createIncidentUpdateService({
      store,
      clock,
      newId: () => `upd-${loads}-${rebuilds}`,
      onPublicUpdate: (_u, monitorId) => pages.monitorChanged(monitorId),
    });
    await service.create(ACME_PAGE);
    server = buildPublicServer({
      logger: silentLogger(),
      pages,
      maxAgeS: TTL_MS / 1000,
      onPrepared: (key) => prepared.push(key),
    });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    await server.close();
    await cleanup();
  });

  it('serves the same bytes inside the interval with one rebuild, and rebuilds after it', async () => {
    await clock.advance(TTL_MS);
    const before = rebuilds;
    prepared.length = 0;
    const first = await get(`${base}/status/acme`);
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, () => get(`${base}/status/acme`)),
    );
    await clock.advance(TTL_MS - 1);
    const late = await get(`${base}/status/acme`);
    assert.equal(rebuilds - before, 1, 'one rebuild inside the interval');
    assert.deepEqual(prepared, ['html'], 'rendered and compressed once');
    for (const response of [...concurrent, late]) {
      assert.equal(response.status, 200);
      assert.ok(response.bytes.equals(first.bytes), 'same bytes');
      assert.equal(response.headers.etag, first.headers.etag);
    }
    await clock.advance(1);
    await Promise.all(Array.from({ length: 10 }, () => get(`${base}/status/acme`)));
    assert.equal(rebuilds - before, 2, 'one more rebuild once the interval is over');
    assert.equal(loads, rebuilds, 'every load is a counted rebuild');
  });

  it('answers If-None-Match with 304 (lists, weak tags, *) and keeps the caching headers', async () => {
    const page = await get(`${base}/status/acme`);
    const etag = String(page.headers.etag);
    assert.equal(page.headers['cache-control'], 'public, max-age=10');
    for (const ifNoneMatch of [etag, `"other", ${etag}`, `W/${etag}`, '*']) {
      const again = await get(`${base}/status/acme`, { 'if-none-match': ifNoneMatch });
      assert.equal(again.status, 304, ifNoneMatch);
      assert.equal(again.bytes.length, 0);
      assert.equal(again.headers.etag, etag);
      assert.equal(again.headers['cache-control'], 'public, max-age=10');
      assert.equal(again.headers.vary, 'accept-encoding');
    }
    const stale = await get(`${base}/status/acme`, { 'if-none-match': '"stale"' });
    assert.equal(stale.status, 200);
    // A validator of another encoding is another representation: the full body is sent.
    const gz = await get(`${base}/status/acme`, {
      'if-none-match': etag,
      'accept-encoding': 'gzip',
    });
    assert.equal(gz.status, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip');
  });

  it('sends brotli, gzip or identity as accepted, each the same page with its own ETag', async () => {
    const plain = await get(`${base}/status/acme`);
    assert.equal(plain.headers['content-encoding'], undefined);
    const br = await get(`${base}/status/acme`, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.ok(brotliDecompressSync(br.bytes).equals(plain.bytes));
    const gz = await get(`${base}/status/acme`, { 'accept-encoding': 'br;q=0, gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(gz.bytes).equals(plain.bytes));
    const refused = await get(`${base}/status/acme`, { 'accept-encoding': '*;q=0, identity' });
    assert.equal(refused.headers['content-encoding'], undefined);
    assert.ok(refused.bytes.equals(plain.bytes));
    const etags = new Set([plain, br, gz].map((r) => String(r.headers.etag)));
    assert.equal(etags.size, 3);
    for (const response of [plain, br, gz]) assert.equal(response.headers.vary, 'accept-encoding');
    // Conditional requests per encoding.
    const brAgain = await get(`${base}/status/acme`, {
      'accept-encoding': 'br',
      'if-none-match': String(br.headers.etag),
    });
    assert.equal(brAgain.status, 304);
  });

  it('serves the feeds and badges from prebuilt bytes too, with validators', async () => {
    prepared.length = 0;
    const paths = ['/status/acme/feed.rss', '/status/acme/feed.atom', '/badge/m1/status.svg'];
    for (const path of paths) {
      const first = await get(`${base}${path}`);
      const second = await get(`${base}${path}`);
      assert.equal(first.status, 200, path);
      assert.ok(first.bytes.equals(second.bytes), path);
      assert.equal(first.headers.etag, second.headers.etag, path);
      const again = await get(`${base}${path}`, { 'if-none-match': String(first.headers.etag) });
      assert.equal(again.status, 304, path);
    }
    assert.equal(prepared.length, paths.length, `each prepared once: ${prepared.join(', ')}`);
  });

  it('shows a monitor state change after the interval, on the page and its badge', async () => {
    await clock.advance(TTL_MS);
    const page = await get(`${base}/status/acme/summary.json`);
    const badge = await get(`${base}/badge/m1/status.svg`);
    assert.match(badge.bytes.toString(), /: up</);
    await store.commitBatch(
      batch({
        states: [makeState('m1', { status: 'down' })],
        incidentsOpened: [makeIncident('inc-1', 'm1', NOW)],
      }),
    );
    // Inside the interval the cached answer stands (no rebuild, same bytes).
    const cached = await get(`${base}/status/acme/summary.json`);
    assert.ok(cached.bytes.equals(page.bytes));
    assert.ok((await get(`${base}/badge/m1/status.svg`)).bytes.equals(badge.bytes));
    await clock.advance(TTL_MS);
    const fresh = JSON.parse((await get(`${base}/status/acme/summary.json`)).bytes.toString()) as {
      status: string;
    };
    assert.equal(fresh.status, 'outage');
    assert.match((await get(`${base}/badge/m1/status.svg`)).bytes.toString(), /: down</);
  });

  it('shows a published incident update at once, and on the custom domain', async () => {
    await updates.add(
      { incident: 'inc-1', status: 'identified', message: 'cable-cut', public: true },
      'alice',
    );
    const before = rebuilds;
    const home = await get(`${base}/`, { host: 'status.acme.test' });
    assert.equal(home.status, 200);
    assert.match(home.bytes.toString(), /cable-cut/);
    assert.match((await get(`${base}/status/acme`)).bytes.toString(), /cable-cut/);
    assert.equal(rebuilds - before, 1);
  });
});
