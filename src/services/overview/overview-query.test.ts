import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MonitorStatus } from '../../domain/monitor-state.ts';
import { initialRuntimeState } from '../../domain/monitor-state.ts';
import type { ClusterNode } from '../../domain/node.ts';
import { makeMonitor } from '../../store/contract/fixtures.ts';
import type { OverviewQuery, OverviewRow } from './overview-query.ts';
import { downInRegion, haystackOf, selectOverview } from './overview-query.ts';

const BASE: OverviewQuery = { sort: 'name', dir: 'asc', offset: 0, limit: 10 };

function row(
  id: string,
  name: string,
  state: MonitorStatus,
  extra: { latency?: number | null; regions?: string[]; group?: string; tags?: string[] } = {},
): OverviewRow {
  const monitor = makeMonitor(id, {
    name,
    group: extra.group ?? 'web',
    tags: extra.tags ?? [],
    nodes: { regions: extra.regions ?? [], labels: {} },
    paused: state === 'paused',
  });
  const runtime = {
    ...initialRuntimeState(id),
    status: state === 'paused' ? 'up' : state,
    lastLatencyMs: extra.latency ?? null,
  } as const;
  return { monitor, haystack: haystackOf(monitor), runtime, state, uptime24h: null };
}

const usEast = { region: 'us-east', removedAt: null, labels: {} } as unknown as ClusterNode;

describe('selectOverview', () => {
  const rows = [
    row('m1', 'beta', 'down', { latency: 300, tags: ['db'] }),
    row('m2', 'Alpha', 'up', { latency: 20, group: 'api' }),
    row('m3', 'gamma', 'paused', { regions: ['eu-west'] }),
    row('m4', 'alpha', 'up', { latency: null }),
  ];

  it('sorts by name by code unit, like the store, with counts of every state', () => {
    const { total, counts, page } = selectOverview(rows, BASE, []);
    assert.equal(total, 4);
    assert.deepEqual(
      page.map((r) => r.monitor.id),
      ['m2', 'm4', 'm1', 'm3'],
    );
    assert.equal(counts.up, 2);
    assert.equal(counts.down, 1);
    assert.equal(counts.paused, 1);
    assert.equal(counts.pending, 0);
  });

  it('filters by state without changing the counts, and pages', () => {
    const { total, counts, page } = selectOverview(
      rows,
      { ...BASE, states: ['up'], offset: 1, limit: 1 },
      [],
    );
    assert.equal(total, 2);
    assert.equal(counts.down, 1);
    assert.deepEqual(
      page.map((r) => r.monitor.id),
      ['m4'],
    );
  });

  it('searches name, target, group and tags case-insensitively', () => {
    const ids = (q: string) =>
      selectOverview(rows, { ...BASE, q }, []).page.map((r) => r.monitor.id);
    assert.deepEqual(ids('ALPHA'), ['m2', 'm4']);
    assert.deepEqual(ids('api'), ['m2']);
    assert.deepEqual(ids('DB'), ['m1']);
    assert.deepEqual(ids('/m3'), ['m3']);
  });

  it('sorts by state worst first and by latency with nulls last in both directions', () => {
    const ids = (query: Partial<OverviewQuery>) =>
      selectOverview(rows, { ...BASE, ...query }, []).page.map((r) => r.monitor.id);
    assert.deepEqual(ids({ sort: 'state' }), ['m1', 'm2', 'm4', 'm3']);
    assert.deepEqual(ids({ sort: 'latency', dir: 'desc' }), ['m1', 'm2', 'm4', 'm3']);
    assert.deepEqual(ids({ sort: 'latency', dir: 'asc' }), ['m2', 'm1', 'm4', 'm3']);
  });

  it('keeps monitors a region checks, and those seen down there', () => {
    const ids = (query: Partial<OverviewQuery>) =>
      selectOverview(rows, { ...BASE, ...query }, [usEast]).page.map((r) => r.monitor.id);
    assert.deepEqual(ids({ region: 'us-east' }), ['m2', 'm4', 'm1']);
    assert.deepEqual(ids({ region: 'us-east', regionState: 'down' }), []);
    assert.deepEqual(ids({ region: 'nowhere' }), []);
  });
});

describe('downInRegion', () => {
  const base = initialRuntimeState('m');
  const incident = {
    id: 'i',
    startedAt: 0,
    openedAt: 0,
    confirmedBy: [],
    pages: {},
  };
  it('is true for a down incident, a regional one naming the region, or a failing region', () => {
    assert.equal(downInRegion(base, 'eu'), false);
    assert.equal(
      downInRegion({ ...base, openIncident: { ...incident, verdict: 'down', regions: [] } }, 'eu'),
      true,
    );
    const regional = { ...incident, verdict: 'regional' as const, regions: ['us'] };
    assert.equal(downInRegion({ ...base, openIncident: regional }, 'eu'), false);
    assert.equal(downInRegion({ ...base, openIncident: regional }, 'us'), true);
    assert.equal(downInRegion({ ...base, failingRegions: ['eu'] }, 'eu'), true);
  });
});
