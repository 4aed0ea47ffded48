import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Monitor } from '../../domain/monitor.ts';
import type { MonitorRuntimeState, MonitorStatus } from '../../domain/monitor-state.ts';
import { initialRuntimeState } from '../../domain/monitor-state.ts';
import type { ClusterNode } from '../../domain/node.ts';
import { makeMonitor } from '../../store/contract/fixtures.ts';
import { createOverviewIndex } from './overview-index.ts';
import type { OverviewQuery, OverviewRow, OverviewSort } from './overview-query.ts';
import { haystackOf, OVERVIEW_STATES, selectOverview } from './overview-query.ts';

// The index must answer every query exactly as the unindexed reference (`selectOverview` over
// rows built fresh from the same monitors and states), whatever sequence of changes led there.

const IDS = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
const RUNTIME_STATES = OVERVIEW_STATES.filter(
  (s): s is Exclude<MonitorStatus, 'paused'> => s !== 'paused',
);
const NODES = [
  { id: 'n1', region: 'eu', removedAt: null, labels: {} },
  { id: 'n2', region: 'us', removedAt: null, labels: {} },
] as unknown as ClusterNode[];

const monitorArb = fc
  .record({
    id: fc.constantFrom(...IDS),
    // Few names, so ties (broken by id) are common.
    name: fc.constantFrom('alpha', 'Alpha', 'beta', 'gamma'),
    group: fc.constantFrom('web', 'db', null),
    tags: fc.subarray(['prod', 'eu', 'blue']),
    paused: fc.boolean(),
    regions: fc.subarray(['eu', 'us']),
  })
  .map((m): Monitor =>
    makeMonitor(m.id, {
      name: m.name,
      group: m.group,
      tags: m.tags,
      paused: m.paused,
      nodes: { regions: m.regions, labels: {} },
    }),
  );

const stateArb = fc
  .record({
    id: fc.constantFrom(...IDS),
    status: fc.constantFrom(...RUNTIME_STATES),
    lastCheckedAt: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
    lastLatencyMs: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
    failingRegions: fc.subarray(['eu', 'us']),
  })
  .map((s): MonitorRuntimeState => ({
    ...initialRuntimeState(s.id),
    status: s.status,
    lastCheckedAt: s.lastCheckedAt,
    lastLatencyMs: s.lastLatencyMs,
    failingRegions: s.failingRegions,
  }));

type Change =
  | { kind: 'monitor'; monitor: Monitor }
  | { kind: 'remove'; id: string }
  | { kind: 'states'; states: MonitorRuntimeState[] };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  monitorArb.map((monitor) => ({ kind: 'monitor' as const, monitor })),
  fc.constantFrom(...IDS).map((id) => ({ kind: 'remove' as const, id })),
  fc.array(stateArb, { maxLength: 4 }).map((states) => ({ kind: 'states' as const, states })),
);

/** A filter set in a quarter of the queries: several at once would leave too few rows. */
function sometimes<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });
}

const queryArb = fc.record({
  sort: fc.constantFrom<OverviewSort>('name', 'state', 'lastCheck', 'latency', 'uptime'),
  dir: fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
  offset: fc.integer({ min: 0, max: 6 }),
  limit: fc.integer({ min: 1, max: 5 }),
  q: sometimes(fc.constantFrom('alp', 'ETA', 'prod', '/m3')),
  group: sometimes(fc.constantFrom('web', 'db')),
  tag: sometimes(fc.constantFrom('prod', 'blue')),
  states: sometimes(fc.subarray([...OVERVIEW_STATES], { minLength: 1 })),
  region: sometimes(fc.constantFrom('eu', 'us')),
  regionState: sometimes(fc.constant('down' as const)),
  // Each monitor's 24 h uptime when sorting by it (few values, so ties are common).
  uptime: fc.array(fc.option(fc.constantFrom(0, 0.5, 0.99, 1), { nil: null }), {
    minLength: IDS.length,
    maxLength: IDS.length,
  }),
});
type TestQuery = OverviewQuery & { uptime: (number | null)[] };

const uptimeOf = (query: TestQuery): Map<string, number | null> =>
  new Map(IDS.map((id, i) => [id, query.uptime[i] ?? null]));

/** The model: what a fresh read of monitors and states would give. */
function referenceRows(
  monitors: ReadonlyMap<string, Monitor>,
  states: ReadonlyMap<string, MonitorRuntimeState>,
  uptime: ReadonlyMap<string, number | null>,
): OverviewRow[] {
  return [...monitors.values()].map((monitor) => {
    const runtime = states.get(monitor.id) ?? initialRuntimeState(monitor.id);
    return {
      monitor,
      haystack: haystackOf(monitor),
      runtime,
      state: monitor.paused ? 'paused' : runtime.status,
      uptime24h: uptime.get(monitor.id) ?? null,
    };
  });
}

const summary = (selection: ReturnType<typeof selectOverview>) => ({
  total: selection.total,
  counts: selection.counts,
  page: selection.page.map((r) => [r.monitor.id, r.state, r.runtime.lastCheckedAt]),
});

describe('OverviewIndex', () => {
  it('answers every query as the unindexed reference, after any changes', () => {
    fc.assert(
      fc.property(
        fc.array(monitorArb, { minLength: 3, maxLength: 8 }),
        fc.array(changeArb, { minLength: 5, maxLength: 30 }),
        fc.array(queryArb, { minLength: 1, maxLength: 6 }),
        (initial, changes, queries) => {
          const monitors = new Map<string, Monitor>();
          const states = new Map<string, MonitorRuntimeState>();
          const index = createOverviewIndex();
          const check = (query: TestQuery): void => {
            const uptime = uptimeOf(query);
            const rows = referenceRows(monitors, states, uptime);
            const expected = selectOverview(rows, query, NODES);
            const { sort } = query;
            const actual =
              sort === 'uptime'
                ? index.selectByUptime({ ...query, sort }, NODES, uptime)
                : index.select({ ...query, sort }, NODES);
            assert.deepEqual(summary(actual), summary(expected));
          };
          const all: Change[] = [
            ...initial.map((monitor) => ({ kind: 'monitor' as const, monitor })),
            ...changes,
          ];
          for (const change of all) {
            // Queries between changes fill the cached orders, which the next change must refresh.
            for (const query of queries) check(query);
            if (change.kind === 'monitor') {
              monitors.set(change.monitor.id, change.monitor);
              index.setMonitor(change.monitor);
            } else if (change.kind === 'remove') {
              monitors.delete(change.id);
              states.delete(change.id);
              index.removeMonitor(change.id);
            } else {
              for (const s of change.states) states.set(s.monitorId, s);
              index.setStates(change.states);
            }
          }
          for (const query of queries) check(query);
          assert.equal(index.size, monitors.size);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the rows of a returned page as they were when selected', () => {
    const monitor = makeMonitor('m1');
    const index = createOverviewIndex([monitor]);
    const query = { sort: 'name', dir: 'asc', offset: 0, limit: 10 } as const;
    const before = index.select(query, []).page[0];
    index.setStates([{ ...initialRuntimeState('m1'), status: 'down' }]);
    assert.equal(before?.state, 'pending');
    assert.equal(index.select(query, []).page[0]?.state, 'down');
  });

  it('lists groups and tags, refreshed when monitors change', () => {
    const index = createOverviewIndex([
      makeMonitor('m1', { group: 'web', tags: ['b', 'a'] }),
      makeMonitor('m2', { group: null, tags: ['a'] }),
    ]);
    assert.deepEqual(index.facets(), { groups: ['web'], tags: ['a', 'b'] });
    index.setMonitor(makeMonitor('m2', { group: 'db', tags: ['c'] }));
    index.removeMonitor('m1');
    assert.deepEqual(index.facets(), { groups: ['db'], tags: ['c'] });
  });
});
