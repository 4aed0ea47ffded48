import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Incident } from '../domain/incident.ts';
import { notFound } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { silentLogger } from '../observability/logger.ts';
import type { Principal, Role } from '../operations/kit.ts';
import { OPERATIONS } from '../operations/registry.ts';
import { incidentExplanationSchema } from '../operations/schemas/explain.ts';
import type { OperationServices } from '../operations/services.ts';
import { createAlertLogService } from '../services/alert-log-service.ts';
import type { MonitorChange } from '../services/events.ts';
import { createMonitorChangeBus } from '../services/events.ts';
import { createHealthService } from '../services/health-service.ts';
import { createIncidentService } from '../services/incident-service.ts';
import { createMonitorService } from '../services/monitors/monitor-service.ts';
import { createQueryService, storeStateSource } from '../services/status-service.ts';
import { makeRound, makeVote } from '../store/contract/consensus-fixtures.ts';
import { MINUTE, batch, makeIncident, makeMonitor } from '../store/contract/fixtures.ts';
import type { Store } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import type { ApiErrorBody } from './errors.ts';
import { registerOperationRoutes } from './operation-routes.ts';
import { buildBareApiServer } from './server.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The caller of a request: `x-test-user` and `x-test-role` headers, else alice the editor. */
function principalOf(headers: Record<string, string | string[] | undefined>): Principal {
  const role = headers['x-test-role'];
  const name = headers['x-test-user'];
  return {
    userId: typeof name === 'string' ? name : 'alice',
    name: typeof name === 'string' ? name : 'alice',
    role: typeof role === 'string' ? (role as Role) : 'editor',
    access: 'write',
    via: 'token',
  };
}

describe('operations over REST: incident ack, explain, pagination, bulk', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let api: ReturnType<typeof buildBareApiServer>;
  const clock = new FakeClock();
  const start = clock.now();
  const changes: MonitorChange[] = [];

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    await store.insertMonitor(makeMonitor('m1', { name: 'API', tags: ['prod'] }));
    await store.insertMonitor(makeMonitor('m2', { name: 'Web', tags: ['staging'], alerts: [] }));
    const resolved: Incident = {
      ...makeIncident('inc-old', 'm2', start - 120 * MINUTE),
      status: 'resolved',
      endedAt: start - 100 * MINUTE,
      resolvedAt: start - 99 * MINUTE,
      durationMs: 20 * MINUTE,
    };
    const decidedAt = start - 55 * MINUTE;
    await store.commitBatch(
      batch({
        incidentsOpened: [resolved, makeIncident('inc-1', 'm1', start - 60 * MINUTE)],
        rounds: [
          makeRound('round-1', 'm1', decidedAt, {
            incidentId: 'inc-1',
            verdict: 'down',
            votes: [
              makeVote('a', 'fail', { nodeName: 'eu-1', region: 'eu-west' }),
              makeVote('b', 'fail', { nodeName: 'us-1', region: 'us-east', errorKind: 'timeout' }),
              makeVote('c', 'ok', { nodeName: 'ap-1', region: 'ap-south' }),
            ],
          }),
        ],
      }),
    );
    const bus = createMonitorChangeBus();
    bus.subscribe((change) => changes.push(change));
    const queries = createQueryService({ store, clock, states: storeStateSource(store) });
    const services: OperationServices = {
      clock,
      queries,
      health: createHealthService({
        store,
        clock,
        version: 'test',
        dataDir: '/nonexistent',
        databasePath: '/nonexistent/crosscheck.db',
      }),
      alerts: createAlertLogService({ store, clock }),
      monitors: createMonitorService({ store, clock, changes: bus, newId: () => newId('mon') }),
      cluster: {
        listNodes: () => Promise.resolve([]),
        getNode: (id) => Promise.reject(notFound('node', id)),
        nodeAlertRoutes: () => Promise.resolve([]),
        overview: () => Promise.resolve(null),
      },
      incidents: createIncidentService({ store, clock }),
      unavailableReason: 'not running',
    };
    api = buildBareApiServer(silentLogger());
    api.addHook('onRequest', (request, _reply, done) => {
      request.principal = principalOf(request.headers);
      done();
    });
    registerOperationRoutes(api, OPERATIONS, services);
    await api.ready();
  });

  after(async () => {
    await api.close();
    await cleanup();
  });

  describe('POST /api/v1/incidents/{id}/ack', () => {
    it('records who acknowledged and when; a second ack keeps both and replaces the note', async () => {
      const first = await api.inject({
        method: 'POST',
        url: '/api/v1/incidents/inc-1/ack',
        payload: { note: 'looking at the load balancer' },
      });
      assert.equal(first.statusCode, 200, first.body);
      const acked = first.json<Incident>();
      assert.deepEqual(acked.acknowledgement, {
        at: start,
        by: 'alice',
        note: 'looking at the load balancer',
      });

      clock.advance(5 * MINUTE);
      const second = await api.inject({
        method: 'POST',
        url: '/api/v1/incidents/inc-1/ack',
        headers: { 'x-test-user': 'bob' },
        payload: { note: 'failing over' },
      });
      assert.equal(second.statusCode, 200, second.body);
      assert.deepEqual(second.json<Incident>().acknowledgement, {
        at: start,
        by: 'alice',
        note: 'failing over',
      });

      const shown = await api.inject({ method: 'GET', url: '/api/v1/incidents/inc-1' });
      assert.equal(shown.json<Incident>().acknowledgement?.by, 'alice');
      const listed = await api.inject({ method: 'GET', url: '/api/v1/incidents?active=true' });
      assert.equal(listed.json<Page<Incident>>().items[0]?.acknowledgement?.note, 'failing over');
    });

    it('needs the editor role, an open incident and a known id', async () => {
      const asViewer = await api.inject({
        method: 'POST',
        url: '/api/v1/incidents/inc-1/ack',
        headers: { 'x-test-role': 'viewer' },
        payload: {},
      });
      assert.equal(asViewer.statusCode, 403);
      const resolved = await api.inject({
        method: 'POST',
        url: '/api/v1/incidents/inc-old/ack',
        payload: {},
      });
      assert.equal(resolved.statusCode, 409);
      assert.match(resolved.json<ApiErrorBody>().error.message, /resolved/);
      const unknown = await api.inject({
        method: 'POST',
        url: '/api/v1/incidents/nope/ack',
        payload: {},
      });
      assert.equal(unknown.statusCode, 404);
    });
  });

  it('GET /api/v1/incidents/{id}/explain: who saw what, from where, and why', async () => {
    const response = await api.inject({ method: 'GET', url: '/api/v1/incidents/inc-1/explain' });
    assert.equal(response.statusCode, 200, response.body);
    const view = incidentExplanationSchema.parse(response.json());
    assert.equal(view.verdict, 'down');
    assert.equal(view.monitor.name, 'API');
    const [round] = view.rounds;
    assert.ok(round);
    assert.deepEqual(round.counts, {
      asked: 3,
      counted: 3,
      down: 2,
      up: 1,
      abstained: 0,
      noAnswer: 0,
      setAside: 0,
    });
    assert.deepEqual(
      round.nodes.map((n) => [n.node, n.region, n.vote, n.error]),
      [
        ['ap-1', 'ap-south', 'up', null],
        ['eu-1', 'eu-west', 'down', 'refused'],
        ['us-1', 'us-east', 'down', 'timeout'],
      ],
    );
    assert.deepEqual(view.regionsDown, ['eu-west', 'us-east']);
    assert.match(round.why, /2 of 3 counted node\(s\) saw it down \(eu-1, us-1\): more than half/);
    assert.match(view.summary, /^API \(http:\/\/127\.0\.0\.1:8080\/m1\) is down/);
    assert.match(view.summary, /Acknowledged by alice/);
  });

  describe('cursor pagination', () => {
    it('pages incidents with nextCursor until the last page', async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${cursor}`;
        const response = await api.inject({
          method: 'GET',
          url: `/api/v1/incidents?limit=1${query}`,
        });
        assert.equal(response.statusCode, 200, response.body);
        const page = response.json<Page<Incident>>();
        ids.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      assert.deepEqual(ids, ['inc-1', 'inc-old']);
    });

    it('filters monitors by tag in the query and pages them', async () => {
      const first = await api.inject({ method: 'GET', url: '/api/v1/monitors?limit=1' });
      const page = first.json<Page<{ id: string }>>();
      assert.deepEqual(
        page.items.map((m) => m.id),
        ['m1'],
      );
      assert.ok(page.nextCursor !== null);
      const next = await api.inject({
        method: 'GET',
        url: `/api/v1/monitors?limit=1&cursor=${page.nextCursor}`,
      });
      assert.deepEqual(
        next.json<Page<{ id: string }>>().items.map((m) => m.id),
        ['m2'],
      );
      const tagged = await api.inject({ method: 'GET', url: '/api/v1/monitors?tag=staging' });
      assert.deepEqual(tagged.json<Page<{ id: string }>>(), {
        items: [tagged.json<Page<{ id: string }>>().items[0]],
        nextCursor: null,
      });
      assert.equal(tagged.json<Page<{ id: string }>>().items[0]?.id, 'm2');
    });

    it('refuses a bad cursor, or one of another list, naming `cursor`', async () => {
      const monitors = await api.inject({ method: 'GET', url: '/api/v1/monitors?limit=1' });
      const monitorCursor = monitors.json<Page<unknown>>().nextCursor ?? '';
      for (const cursor of ['not-a-cursor', monitorCursor]) {
        const response = await api.inject({
          method: 'GET',
          url: `/api/v1/incidents?cursor=${encodeURIComponent(cursor)}`,
        });
        assert.equal(response.statusCode, 400, response.body);
        const { error } = response.json<ApiErrorBody>();
        assert.deepEqual(
          error.issues.map((i) => i.path),
          ['query.cursor'],
        );
      }
    });
  });

  describe('POST /api/v1/monitors/bulk', () => {
    it('writes the valid items and reports each bad one with its fields', async () => {
      changes.length = 0;
      const response = await api.inject({
        method: 'POST',
        url: '/api/v1/monitors/bulk',
        payload: {
          items: [
            { op: 'create', monitor: { name: 'bulk-a', type: 'tcp', target: '127.0.0.1:1' } },
            { op: 'create', monitor: { type: 'tcp', target: '127.0.0.1:2' } },
            { op: 'update', id: 'm2', patch: { name: 'Web (renamed)' } },
            { op: 'update', id: 'missing', patch: { name: 'x' } },
            { op: 'delete', id: 'm1' },
            { op: 'update', id: 'm2', patch: { intervalMs: 'often' } },
          ],
        },
      });
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json<{
        written: number;
        results: {
          index: number;
          ok: boolean;
          monitor?: { id: string; name: string };
          error?: { code: string; issues: { path: string }[] };
        }[];
      }>();
      assert.equal(body.written, 2);
      assert.deepEqual(
        body.results.map((r) => [r.index, r.ok, r.error?.code ?? null]),
        [
          [0, true, null],
          [1, false, 'VALIDATION'],
          [2, true, null],
          [3, false, 'NOT_FOUND'],
          [4, false, 'VALIDATION'],
          [5, false, 'VALIDATION'],
        ],
      );
      assert.deepEqual(
        body.results[1]?.error?.issues.map((i) => i.path),
        ['monitor.name'],
      );
      assert.deepEqual(
        body.results[5]?.error?.issues.map((i) => i.path),
        ['patch.intervalMs'],
      );
      const created = body.results[0]?.monitor;
      assert.ok(created);
      assert.equal((await store.getMonitor(created.id))?.name, 'bulk-a');
      assert.equal((await store.getMonitor('m2'))?.name, 'Web (renamed)');
      assert.deepEqual(
        changes.map((c) => (c.type === 'upserted' ? c.monitor.name : c.id)).sort(),
        ['Web (renamed)', 'bulk-a'],
        'each written monitor published once',
      );
    });

    it('writes nothing in atomic mode when one item fails', async () => {
      const before = (await store.listMonitors()).length;
      const response = await api.inject({
        method: 'POST',
        url: '/api/v1/monitors/bulk',
        payload: {
          atomic: true,
          items: [
            { op: 'create', monitor: { name: 'atomic-a', type: 'tcp', target: '127.0.0.1:1' } },
            { op: 'create', monitor: { name: '', type: 'tcp', target: '127.0.0.1:2' } },
          ],
        },
      });
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json<{
        written: number;
        results: { ok: boolean; error?: { code: string; message: string } }[];
      }>();
      assert.equal(body.written, 0);
      assert.deepEqual(
        body.results.map((r) => [r.ok, r.error?.code]),
        [
          [false, 'CONFLICT'],
          [false, 'VALIDATION'],
        ],
      );
      assert.match(body.results[0]?.error?.message ?? '', /atomic and item\(s\) 1 failed/);
      assert.equal((await store.listMonitors()).length, before);
    });

    it('rejects a request that is not a bulk request (no items) as a whole', async () => {
      const response = await api.inject({
        method: 'POST',
        url: '/api/v1/monitors/bulk',
        payload: { items: [] },
      });
      assert.equal(response.statusCode, 400);
      const viewer = await api.inject({
        method: 'POST',
        url: '/api/v1/monitors/bulk',
        headers: { 'x-test-role': 'viewer' },
        payload: { items: [{ op: 'create', monitor: {} }] },
      });
      assert.equal(viewer.statusCode, 403);
    });

    it('creates 1,000 monitors in one call', async (t) => {
      const items = Array.from({ length: 1_000 }, (_, i) => ({
        op: 'create',
        monitor: { name: `mass-${i}`, type: 'tcp', target: `127.0.0.1:${1_000 + i}` },
      }));
      const began = performance.now();
      const response = await api.inject({
        method: 'POST',
        url: '/api/v1/monitors/bulk',
        payload: { items },
      });
      const elapsed = performance.now() - began;
      assert.equal(response.statusCode, 200);
      assert.equal(response.json<{ written: number }>().written, 1_000);
      assert.equal((await store.listMonitors({ tag: 'none' })).length, 0);
      const all = await store.listMonitors();
      assert.equal(all.filter((m) => m.name.startsWith('mass-')).length, 1_000);
      t.diagnostic(`bulk create of 1,000 monitors: ${elapsed.toFixed(0)} ms`);
    });
  });
});
