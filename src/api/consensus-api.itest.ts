import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConsensusRound } from '../domain/consensus.ts';
import type { Incident } from '../domain/incident.ts';
import type { IncidentDetail } from '../services/consensus-views.ts';
import type { MonitorUptimeView } from '../services/uptime-views.ts';
import type { MonitorStatusView } from '../services/status-service.ts';
import type { Store } from '../store/types.ts';
import { seedConsensusFixture } from '../../test/helpers/consensus-fixture.ts';
import type { ConsensusFixture } from '../../test/helpers/consensus-fixture.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import type { ApiErrorBody } from './errors.ts';
import { storeOperationServices, testApiServer } from '../../test/helpers/test-api.ts';

describe('consensus views over HTTP: incident evidence, per-region uptime, rounds, status notes', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let fixture: ConsensusFixture;
  const clock = new FakeClock();
  let api: ReturnType<typeof testApiServer>;

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    fixture = await seedConsensusFixture(store, clock.now());
    api = testApiServer(storeOperationServices(store, clock));
  });
  after(() => cleanup());

  const get = (url: string) => api.inject({ method: 'GET', url });

  it('returns an incident with every round and vote as evidence, oldest round first', async () => {
    const res = await get(`/api/v1/incidents/${fixture.incident.id}`);
    assert.equal(res.statusCode, 200, res.body);
    const detail = res.json<IncidentDetail>();
    assert.equal(detail.verdict, 'regional');
    assert.deepEqual(detail.regions, ['eu-west']);
    assert.deepEqual(
      detail.evidence.map((r) => r.id),
      ['rnd_confirm', 'rnd_recover'],
    );
    const confirm = detail.evidence[0];
    assert.equal(confirm?.votes.length, 5);
    const bos = confirm?.votes.find((v) => v.nodeName === 'bos-1');
    assert.equal(bos?.late, true);
    assert.equal(confirm?.votes.find((v) => v.nodeName === 'solo-1')?.setAside, 'canaries');

    const list = (await get(`/api/v1/incidents?monitor=${fixture.monitor.id}`)).json<{
      items: Incident[];
    }>().items;
    assert.deepEqual(
      list.map((i) => [i.id, i.monitorId, i.status, i.verdict, i.regions]),
      [[fixture.incident.id, fixture.monitor.id, 'resolved', 'regional', ['eu-west']]],
    );
    assert.equal((await get('/api/v1/incidents/inc_nope')).statusCode, 404);
  });

  it("shows uptime from incidents per region, and each node's own figures naming its failures", async () => {
    const res = await get(`/api/v1/monitors/${fixture.monitor.id}/uptime?window=24h`);
    assert.equal(res.statusCode, 200, res.body);
    const view = res.json<MonitorUptimeView>();
    assert.equal(view.windowMs, 86_400_000);
    // Created an hour ago; the two-minute incident was regional: the monitor stayed up.
    assert.deepEqual([view.uptime, view.observedMs, view.downMs], [1, 3_600_000, 0]);
    assert.deepEqual(view.regions, [
      { region: 'eu-west', nodes: 2, downMs: 120_000, uptime: 1 - 120_000 / 3_600_000 },
      { region: 'us-east', nodes: 2, downMs: 0, uptime: 1 },
      { region: '(none)', nodes: 1, downMs: 0, uptime: 1 },
    ]);
    assert.deepEqual(
      view.nodes.map((n) => [n.name, n.checks, n.failures, n.errors, n.passing, n.localFailures]),
      [
        ['ams-1', 4, 2, 0, 0.5, 0],
        ['bos-1', 4, 0, 0, 1, 0],
        ['fra-1', 4, 2, 0, 0.5, 1],
        ['nyc-1', 4, 0, 0, 1, 0],
        ['solo-1', 1, 0, 0, 1, 0],
      ],
    );
    const short = (
      await get(`/api/v1/monitors/${fixture.monitor.id}/uptime?window=1m`)
    ).json<MonitorUptimeView>();
    assert.deepEqual(short.nodes, [], 'no results in the last minute');
    const bad = await get(`/api/v1/monitors/${fixture.monitor.id}/uptime?window=forever`);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<ApiErrorBody>().error.issues[0]?.path, 'query.window');
    assert.equal((await get('/api/v1/monitors/mon_nope/uptime')).statusCode, 404);
  });

  it('lists rounds filtered by verdict, newest first', async () => {
    const res = await get(
      `/api/v1/monitors/${fixture.monitor.id}/rounds?verdict=local,regional,unknown&limit=10`,
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res.json<{ items: ConsensusRound[] }>().items.map((r) => r.id),
      ['rnd_local', 'rnd_confirm'],
    );
    const bad = await get(`/api/v1/monitors/${fixture.monitor.id}/rounds?verdict=sideways`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json<ApiErrorBody>().error.issues[0]?.path ?? '', /^query\.verdict/);
  });

  it('shows a monitor failing below quorum in status, with node names and the node count', async () => {
    const [row] = (await get('/api/v1/status')).json<MonitorStatusView[]>();
    assert.equal(row?.status, 'up');
    assert.equal(row?.verdict, 'local');
    assert.deepEqual(row?.failing, {
      regions: [],
      nodes: [{ id: 'n-fra', name: 'fra-1', region: 'eu-west' }],
      of: 5,
    });
    // The last result was fra-1's failure: status names the node, and the monitor stays at 100 %.
    assert.deepEqual(row?.lastNode, { id: 'n-fra', name: 'fra-1', region: 'eu-west' });
    assert.equal(row?.lastResult, 'failed');
    assert.deepEqual(row?.uptime, { '24h': 1, '7d': 1, '30d': 1, '90d': 1 });
    const eu = 1 - 120_000 / 3_600_000;
    assert.deepEqual(row?.regionUptime, [
      { region: 'eu-west', uptime: { '24h': eu, '7d': eu, '30d': eu, '90d': eu } },
    ]);
    assert.deepEqual(
      row?.nodes.map((n) => [n.name, n.failures, n.localFailures]),
      [
        ['ams-1', 2, 0],
        ['bos-1', 0, 0],
        ['fra-1', 2, 1],
        ['nyc-1', 0, 0],
        ['solo-1', 0, 0],
      ],
    );
  });
});
