import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import type { CheckStatus, RecordedResult } from '../../domain/check-result.ts';
import type { Incident } from '../../domain/incident.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { MonitorRuntimeState, MonitorStatus } from '../../domain/monitor-state.ts';
import type { ClusterNode } from '../../domain/node.ts';
import {
  batch,
  makeIncident,
  makeMonitor,
  makeResult,
  makeState,
} from '../../store/contract/fixtures.ts';
import type { Store } from '../../store/types.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import type { OverviewQuery } from './overview-query.ts';
import type { OverviewPage } from './overview-service.ts';
import { createOverviewIndex } from './overview-index.ts';
import { createOverview } from './overview-service.ts';
import { createUptimeKeeper } from './uptime-keeper.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 3, 10, 12, 30);
const MONITORS = 10_000;

/** The state each seeded monitor is in, by its index (paused ones override it). */
const STATE_BY_REST: readonly MonitorRuntimeState['status'][] = [
  'up',
  'up',
  'up',
  'down',
  'regional',
  'degraded',
  'pending',
  'unknown',
  'flapping',
  'up',
];

interface Seeded {
  index: number;
  monitor: Monitor;
  state: MonitorStatus;
}

function node(id: string, region: string): ClusterNode {
  return {
    id,
    name: id,
    role: 'agent',
    region,
    labels: {},
    version: 'test',
    certSerial: `serial-${id}`,
    certNotAfter: NOW + DAY,
    enrolledAt: NOW - 100 * DAY,
    lastSeen: NOW,
    state: 'online',
    stateSince: NOW - 100 * DAY,
    clockOffsetMs: 0,
    checksPerSecond: 1,
    outboxBacklog: 0,
    remoteAddress: '127.0.0.1',
    removedAt: null,
    impairedSince: null,
  };
}

const NODES = [node('n-fra', 'eu-west'), node('n-ams', 'eu-west'), node('n-nyc', 'us-east')];

function seededMonitor(index: number): Seeded {
  const id = `m-${String(index).padStart(5, '0')}`;
  const paused = index % 50 === 49;
  const monitor = makeMonitor(id, {
    // 7919 and 10,007 are prime: names are unique and not in id order.
    name: `Service ${String((index * 7919) % 10_007).padStart(5, '0')}`,
    group: `g${index % 20}`,
    tags: [`t${index % 7}`, index % 2 === 0 ? 'prod' : 'staging'],
    nodes: { regions: index % 5 === 0 ? ['eu-west'] : [], labels: {} },
    paused,
    createdAt: NOW - 100 * DAY,
    updatedAt: NOW - 100 * DAY,
  });
  const rest = STATE_BY_REST[index % 10] ?? 'up';
  return { index, monitor, state: paused ? 'paused' : rest };
}

function runtimeOf(seeded: Seeded): MonitorRuntimeState | null {
  const { index, monitor } = seeded;
  const rest = STATE_BY_REST[index % 10] ?? 'up';
  if (rest === 'pending') return null;
  const openIncident =
    rest === 'down' || rest === 'regional'
      ? {
          id: `inc-${monitor.id}`,
          startedAt: NOW - 30 * HOUR,
          verdict: rest,
          regions: rest === 'regional' ? ['us-east'] : [],
          openedAt: NOW - 30 * HOUR,
          confirmedBy: ['n-nyc'],
          pages: {},
        }
      : null;
  return makeState(monitor.id, {
    status: rest,
    openIncident,
    verdict: rest === 'down' ? 'down' : rest === 'regional' ? 'regional' : 'up',
    failingRegions: rest === 'regional' ? ['us-east'] : [],
    lastCheckedAt: NOW - (index % 600) * 100,
    lastLatencyMs: (index * 37) % 1_000,
    statusSince: NOW - 30 * HOUR,
  });
}

function incidentOf(seeded: Seeded): Incident | null {
  const rest = STATE_BY_REST[seeded.index % 10];
  if (rest !== 'down' && rest !== 'regional') return null;
  const incident = makeIncident(`inc-${seeded.monitor.id}`, seeded.monitor.id, NOW - 30 * HOUR);
  return rest === 'down' ? incident : { ...incident, verdict: 'regional', regions: ['us-east'] };
}

/** Each node's newest result now, and one an hour-bucket back (for the sparkline). */
function resultsOf(seeded: Seeded): RecordedResult[] {
  const rest = STATE_BY_REST[seeded.index % 10];
  if (rest === 'pending') return [];
  const statusFrom = (nodeId: string): CheckStatus => {
    if (rest === 'down') return 'down';
    if (rest === 'regional') return nodeId === 'n-nyc' ? 'down' : 'up';
    return 'up';
  };
  const id = seeded.monitor.id;
  return [
    ...NODES.map((n) => ({ ...makeResult(id, NOW - 30_000, statusFrom(n.id), 120), nodeId: n.id })),
    { ...makeResult(id, NOW - 5 * HOUR, 'up', 80), nodeId: 'n-fra' },
  ];
}

async function seed(
  store: Store,
): Promise<{ seeded: Seeded[]; states: Map<string, MonitorRuntimeState> }> {
  const seeded = Array.from({ length: MONITORS }, (_, i) => seededMonitor(i));
  await store.saveMonitors(seeded.map((s) => ({ op: 'insert', monitor: s.monitor })));
  for (const n of NODES) await store.insertNode(n);
  const states = new Map<string, MonitorRuntimeState>();
  for (let from = 0; from < seeded.length; from += 1_000) {
    const slice = seeded.slice(from, from + 1_000);
    const runtimes = slice.flatMap((s) => runtimeOf(s) ?? []);
    for (const r of runtimes) states.set(r.monitorId, r);
    await store.commitBatch(
      batch({
        results: slice.flatMap(resultsOf),
        states: runtimes,
        incidentsOpened: slice.flatMap((s) => incidentOf(s) ?? []),
      }),
    );
  }
  await store.rollup();
  return { seeded, states };
}

const BASE: OverviewQuery = { sort: 'name', dir: 'asc', offset: 0, limit: 100 };

describe('monitors.overview over 10,000 monitors (real SQLite)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let seeded: Seeded[];
  let overview: (query: OverviewQuery) => Promise<OverviewPage>;
  /** The daemon's way: an index and kept uptime records over the same data. */
  let daemonOverview: (query: OverviewQuery) => Promise<OverviewPage>;
  /** The daemon's in-memory monitors (its check engine's map). */
  let monitors: Map<string, Monitor>;

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    const result = await seed(store);
    seeded = result.seeded;
    // As in the daemon: runtime states come from memory, not the store.
    const states = result.states;
    monitors = new Map(seeded.map((s) => [s.monitor.id, s.monitor]));
    const deps = {
      store,
      clock: new FakeClock(NOW),
      monitors: () => monitors.values(),
      states: (ids: readonly string[]) =>
        Promise.resolve(
          new Map(ids.flatMap((id) => states.get(id) ?? []).map((s) => [s.monitorId, s])),
        ),
    };
    overview = createOverview(deps);
    daemonOverview = createOverview({
      ...deps,
      index: createOverviewIndex(monitors.values(), states.values()),
      uptime: createUptimeKeeper(store),
    });
  });
  after(() => cleanup());

  const expectedIds = (keep: (s: Seeded) => boolean) =>
    seeded
      .filter(keep)
      .sort((a, b) => (a.monitor.name < b.monitor.name ? -1 : 1))
      .map((s) => s.monitor.id);

  it('pages every monitor in name order, with counts per state', async (t) => {
    const first = await overview(BASE);
    const timings: number[] = [];
    for (let run = 0; run < 9; run++) {
      const started = performance.now();
      await overview({ ...BASE, offset: run * 100 });
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    t.diagnostic(
      `one call, 10,000 monitors, 100 rows: median ${timings[4]?.toFixed(1)} ms, ` +
        `min ${timings[0]?.toFixed(1)} ms, max ${timings.at(-1)?.toFixed(1)} ms`,
    );
    const page = await overview(BASE);
    const serialised = performance.now();
    const json = JSON.stringify(page);
    t.diagnostic(
      `page as JSON: ${Math.round(json.length / 1024)} KiB, ` +
        `stringified in ${(performance.now() - serialised).toFixed(1)} ms`,
    );
    assert.deepEqual(page, first);
    assert.equal(page.total, MONITORS);
    assert.equal(page.items.length, 100);
    const all = expectedIds(() => true);
    assert.deepEqual(
      page.items.map((i) => i.id),
      all.slice(0, 100),
    );
    const next = await overview({ ...BASE, offset: 100 });
    assert.deepEqual(
      next.items.map((i) => i.id),
      all.slice(100, 200),
    );
    const last = await overview({ ...BASE, offset: MONITORS - 10 });
    assert.equal(last.items.length, 10);
    for (const state of Object.keys(page.counts) as MonitorStatus[]) {
      assert.equal(page.counts[state], seeded.filter((s) => s.state === state).length, state);
    }
    assert.deepEqual(page.regions, ['eu-west', 'us-east']);
    assert.equal(page.groups.length, 20);
    assert.deepEqual(page.tags, ['prod', 'staging', 't0', 't1', 't2', 't3', 't4', 't5', 't6']);
  });

  it('filters by state, group, tag and search; counts ignore only the state filter', async () => {
    const down = await overview({ ...BASE, states: ['down', 'regional'], group: 'g3' });
    const inGroup = (s: Seeded) => s.monitor.group === 'g3';
    assert.deepEqual(
      down.items.map((i) => i.id),
      expectedIds((s) => inGroup(s) && (s.state === 'down' || s.state === 'regional')).slice(
        0,
        100,
      ),
    );
    assert.equal(down.counts.up, seeded.filter((s) => inGroup(s) && s.state === 'up').length);
    const tagged = await overview({ ...BASE, tag: 't3', q: 'SERVICE 0', limit: 200 });
    const wanted = (s: Seeded) =>
      s.monitor.tags.includes('t3') && s.monitor.name.toLowerCase().includes('service 0');
    assert.equal(tagged.total, seeded.filter(wanted).length);
    assert.ok(tagged.total > 0);
    assert.ok(tagged.items.every((i) => i.tags.includes('t3')));
    const byTarget = await overview({ ...BASE, q: '/m-00042' });
    assert.deepEqual(
      byTarget.items.map((i) => i.id),
      ['m-00042'],
    );
  });

  it('filters by region and by what a region sees', async (t) => {
    const started = performance.now();
    const usEast = await overview({ ...BASE, region: 'us-east' });
    t.diagnostic(`region filter: ${(performance.now() - started).toFixed(1)} ms`);
    assert.equal(usEast.total, seeded.filter((s) => s.index % 5 !== 0).length);
    const downThere = await overview({ ...BASE, region: 'us-east', regionState: 'down' });
    const seenDown = (s: Seeded) => s.index % 5 !== 0 && (s.index % 10 === 3 || s.index % 10 === 4);
    assert.equal(downThere.total, seeded.filter(seenDown).length);
    const euDown = await overview({ ...BASE, region: 'eu-west', regionState: 'down' });
    assert.equal(euDown.total, seeded.filter((s) => s.index % 10 === 3).length);
  });

  it('sorts by state, latency, last check and uptime with a stable tie-break', async (t) => {
    const byState = await overview({ ...BASE, sort: 'state', limit: 200 });
    assert.ok(byState.items.slice(0, 100).every((i) => i.state === 'down'));
    const byLatency = await overview({ ...BASE, sort: 'latency', dir: 'desc', limit: 200 });
    const latencies = byLatency.items.map((i) => i.latencyMs ?? -1);
    assert.deepEqual(
      latencies,
      latencies.toSorted((a, b) => b - a),
    );
    assert.equal(latencies[0], 999);
    const lastChecks = await overview({
      ...BASE,
      sort: 'lastCheck',
      dir: 'desc',
      offset: 9_000,
      limit: 200,
    });
    // Monitors never checked sort last in either direction.
    assert.ok(lastChecks.items.slice(-100).every((i) => i.lastCheckAt === null));
    const started = performance.now();
    const byUptime = await overview({ ...BASE, sort: 'uptime', limit: 200 });
    t.diagnostic(`sort by uptime, 200 rows: ${(performance.now() - started).toFixed(1)} ms`);
    assert.ok(
      byUptime.items.slice(0, 100).every((i) => i.state === 'down' || i.state === 'paused'),
    );
    assert.ok((byUptime.items[0]?.uptime24h ?? 1) < 1);
  });

  it('sorts by uptime from kept records as from a fresh read of every monitor (the daemon)', async (t) => {
    await daemonOverview({ ...BASE, sort: 'uptime' }); // the first call reads every record
    for (const dir of ['asc', 'desc'] as const) {
      for (const offset of [0, 4_950]) {
        const query = { ...BASE, sort: 'uptime' as const, dir, offset };
        const started = performance.now();
        const kept = await daemonOverview(query);
        t.diagnostic(
          `kept records, ${dir} at ${offset}: ${(performance.now() - started).toFixed(1)} ms`,
        );
        const fresh = await overview(query);
        const rows = (page: OverviewPage) => page.items.map((i) => [i.id, i.uptime24h]);
        assert.deepEqual(rows(kept), rows(fresh));
        assert.equal(kept.total, fresh.total);
      }
    }
  });

  it('gives the page its 90 daily bars, sparkline and per-region views', async () => {
    const page = await overview({ ...BASE, q: '/m-00013' });
    const item = page.items[0];
    assert.ok(item);
    assert.equal(item.state, 'down');
    assert.equal(item.bars.length, 90);
    assert.equal(item.bars.at(-1)?.day, '2026-04-10');
    assert.equal(item.bars[0]?.day, '2026-01-11');
    // Down since 30 h ago: all of today so far, and yesterday from 06:30 on.
    assert.deepEqual(item.bars.at(-1), { day: '2026-04-10', uptime: 0, downtimeMs: 12.5 * HOUR });
    assert.deepEqual(item.bars.at(-2), {
      day: '2026-04-09',
      uptime: 1 - 17.5 / 24,
      downtimeMs: 17.5 * HOUR,
    });
    assert.ok(item.bars.slice(0, -2).every((b) => b.uptime === 1 && b.downtimeMs === 0));
    assert.equal(item.uptime24h, 0);
    const figure = (await store.uptime([item.id], [90 * DAY - 12.5 * HOUR], NOW)).get(item.id)?.[0];
    const barDown = item.bars.reduce((sum, b) => sum + b.downtimeMs, 0);
    assert.equal(barDown, figure?.downMs);
    assert.deepEqual(
      item.sparkline.map((p) => p.latencyMs),
      [80, 120],
    );
    assert.deepEqual(item.regions, [
      { region: 'eu-west', state: 'down', up: 0, down: 2, total: 2 },
      { region: 'us-east', state: 'down', up: 0, down: 1, total: 1 },
    ]);
    const regional = (await overview({ ...BASE, q: '/m-00014' })).items[0];
    assert.deepEqual(
      regional?.regions.map((r) => [r.region, r.state]),
      [
        ['eu-west', 'up'],
        ['us-east', 'down'],
      ],
    );
    const euOnly = (await overview({ ...BASE, q: '/m-00010' })).items[0];
    assert.deepEqual(
      euOnly?.regions.map((r) => r.region),
      ['eu-west'],
    );
    const pending = (await overview({ ...BASE, q: '/m-00016' })).items[0];
    assert.equal(pending?.state, 'pending');
    assert.deepEqual(pending?.sparkline, []);
    assert.ok(pending?.regions.every((r) => r.state === 'unknown'));
  });

  it('reads monitors from the store when no daemon holds them (offline)', async (t) => {
    const offline = createOverview({
      store,
      clock: new FakeClock(NOW),
      states: async () => new Map((await store.listStates()).map((s) => [s.monitorId, s])),
    });
    const target = seeded[1]?.monitor;
    assert.ok(target);
    await store.updateMonitor({ ...target, name: 'Renamed one' });
    const started = performance.now();
    const page = await offline({ ...BASE, q: 'RENAMED' });
    t.diagnostic(`offline call (store read): ${(performance.now() - started).toFixed(1)} ms`);
    assert.deepEqual(
      page.items.map((i) => i.id),
      [target.id],
    );
    assert.deepEqual((await offline(BASE)).counts, (await overview(BASE)).counts);
  });
});
