import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { GroupingSettings, SharedCause } from '../domain/cause-group.ts';
import { DEFAULT_GROUPING, causeGroupTitle, sharedCauseKey } from '../domain/cause-group.ts';
import type { FailingPeers, GroupCandidate, GroupingState } from './cause-grouping.ts';
import {
  groupingState,
  closingKind,
  groupMemberEnded,
  groupMonitorRemoved,
  groupOpening,
  groupingTick,
} from './cause-grouping.ts';

const SETTINGS: GroupingSettings = { waitMs: 30_000, windowMs: 300_000, minMonitors: 2 };

function candidate(n: number, overrides: Partial<GroupCandidate> = {}): GroupCandidate {
  return {
    monitorId: `m${n}`,
    name: `Monitor ${n}`,
    incidentId: `inc-${n}`,
    verdict: 'down',
    regions: [],
    causes: [{ kind: 'host', value: 'db.internal' }],
    routes: ['ops'],
    ...overrides,
  };
}

function defined<T>(value: T | undefined | null): T {
  assert.ok(value !== undefined && value !== null);
  return value;
}

let ids = 0;
const newId = (): string => `grp-${++ids}`;
const peers =
  (count: number): FailingPeers =>
  () =>
    count;

function ctx(now: number, failing: FailingPeers = peers(0)) {
  return { now, settings: SETTINGS, failingPeers: failing, newId };
}

describe('cause grouping', () => {
  it('pages alone when nothing sharing its causes is failing', () => {
    const step = groupOpening(groupingState(), candidate(1), ctx(0));
    assert.deepEqual(step.decision, { action: 'alone' });
    assert.equal(step.state.groups.size, 0);
  });

  it('holds the first page while peers are judged, then pages once listing every member', () => {
    let state: GroupingState = groupingState();
    const first = groupOpening(state, candidate(1), ctx(0, peers(2)));
    assert.equal(first.decision.action, 'hold');
    state = first.state;
    const second = groupOpening(state, candidate(2, { routes: ['ops', 'db-team'] }), ctx(1_000));
    assert.equal(second.decision.action, 'hold');
    state = second.state;
    // A peer is still being judged: the group keeps collecting.
    assert.equal(groupingTick(state, ctx(2_000, peers(1))).formed.length, 0);
    const tick = groupingTick(state, ctx(3_000, peers(0)));
    assert.equal(tick.formed.length, 1);
    const formed = defined(tick.formed[0]);
    assert.deepEqual(formed.routes, ['ops', 'db-team']);
    assert.equal(formed.group.members.length, 2);
    assert.equal(causeGroupTitle(formed.group), '2 monitors down on db.internal');
  });

  it('decides at the end of its wait even while peers are still failing', () => {
    const held = groupOpening(groupingState(), candidate(1), ctx(0, peers(5)));
    const second = groupOpening(held.state, candidate(2), ctx(1));
    assert.equal(groupingTick(second.state, ctx(29_999, peers(5))).formed.length, 0);
    assert.equal(groupingTick(second.state, ctx(30_000, peers(5))).formed.length, 1);
  });

  it('dissolves a group that stayed alone: its member pages on its own', () => {
    const held = groupOpening(groupingState(), candidate(1), ctx(0, peers(1)));
    const tick = groupingTick(held.state, ctx(30_000, peers(1)));
    assert.equal(tick.dissolved.length, 1);
    assert.equal(tick.state.groups.size, 0);
  });

  it('a member joining after the page pages only a route the group never paged', () => {
    let state = groupOpening(groupingState(), candidate(1), ctx(0, peers(1))).state;
    state = groupOpening(state, candidate(2), ctx(1)).state;
    state = groupingTick(state, ctx(2)).state;
    const same = groupOpening(state, candidate(3), ctx(60_000));
    assert.deepEqual(same.decision.action === 'join' && same.decision.newRoutes, []);
    const wider = groupOpening(same.state, candidate(4, { routes: ['ops', 'dba'] }), ctx(60_001));
    assert.deepEqual(wider.decision.action === 'join' && wider.decision.newRoutes, ['dba']);
    const again = groupOpening(wider.state, candidate(5, { routes: ['dba'] }), ctx(60_002));
    assert.deepEqual(again.decision.action === 'join' && again.decision.newRoutes, []);
  });

  it('a paged group stops taking members once its latest join is older than the window', () => {
    let state = groupOpening(groupingState(), candidate(1), ctx(0, peers(1))).state;
    state = groupOpening(state, candidate(2), ctx(1)).state;
    state = groupingTick(state, ctx(2)).state;
    const late = groupOpening(state, candidate(3), ctx(300_002));
    assert.deepEqual(late.decision, { action: 'alone' });
  });

  it('groups a regional verdict by its regions before its host, and never with down', () => {
    const regional = candidate(1, { verdict: 'regional', regions: ['us-east'] });
    const step = groupOpening(groupingState(), regional, ctx(0, peers(1)));
    assert.equal(step.decision.action, 'hold');
    if (step.decision.action !== 'hold') return;
    assert.deepEqual(step.decision.group.cause, { kind: 'region', value: 'us-east' });
    const down = groupOpening(step.state, candidate(2), ctx(1, peers(0)));
    assert.deepEqual(down.decision, { action: 'alone' });
  });

  it('picks the cause with the most failing peers; ties go to the earlier kind', () => {
    const causes: SharedCause[] = [
      { kind: 'group', value: 'web' },
      { kind: 'host', value: 'lb' },
    ];
    const counts =
      (byKind: Record<string, number>): FailingPeers =>
      (c) =>
        byKind[c.kind] ?? 0;
    const busiest = groupOpening(groupingState(), candidate(1, { causes }), {
      ...ctx(0),
      failingPeers: counts({ group: 3, host: 1 }),
    });
    assert.equal(busiest.decision.action === 'hold' && busiest.decision.group.cause.kind, 'group');
    const tie = groupOpening(groupingState(), candidate(1, { causes }), {
      ...ctx(0),
      failingPeers: counts({ group: 2, host: 2 }),
    });
    assert.equal(tie.decision.action === 'hold' && tie.decision.group.cause.kind, 'host');
  });

  it('closes when its last member ends; retracted only when every member was', () => {
    let state = groupOpening(groupingState(), candidate(1), ctx(0, peers(1))).state;
    state = groupOpening(state, candidate(2), ctx(1)).state;
    state = groupingTick(state, ctx(2)).state;
    const first = groupMemberEnded(state, 'inc-1', 10, 'retracted');
    assert.equal(first.closed, false);
    const last = groupMemberEnded(first.state, 'inc-2', 20, 'recovered');
    assert.equal(last.closed, true);
    assert.equal(closingKind(defined(last.group)), 'recovered');
    assert.equal(last.state.groups.size, 0);
  });

  it('a removed monitor leaves its group, which can then close', () => {
    let state = groupOpening(groupingState(), candidate(1), ctx(0, peers(1))).state;
    state = groupOpening(state, candidate(2), ctx(1)).state;
    state = groupingTick(state, ctx(2)).state;
    state = groupMemberEnded(state, 'inc-1', 5, 'recovered').state;
    const steps = groupMonitorRemoved(state, 'm2', 6);
    assert.equal(steps.length, 1);
    assert.equal(defined(steps[0]).closed, true);
  });

  it('a group whose members all recovered while it collected pages and closes at once', () => {
    let state = groupOpening(groupingState(), candidate(1), ctx(0, peers(1))).state;
    state = groupOpening(state, candidate(2), ctx(1)).state;
    state = groupMemberEnded(state, 'inc-1', 2, 'recovered').state;
    state = groupMemberEnded(state, 'inc-2', 3, 'recovered').state;
    const tick = groupingTick(state, ctx(30_000, peers(0)));
    assert.equal(tick.formed.length, 1);
    assert.equal(tick.closed.length, 1);
    assert.equal(tick.state.groups.size, 0);
  });

  it('an escalation of a member pages on its own; a repeat of its verdict stays grouped', () => {
    const regional = (n: number): GroupCandidate =>
      candidate(n, { verdict: 'regional', regions: ['eu'] });
    let state = groupOpening(groupingState(), regional(1), ctx(0, peers(1))).state;
    state = groupOpening(state, regional(2), ctx(1)).state;
    state = groupingTick(state, ctx(2)).state;
    assert.deepEqual(groupOpening(state, candidate(1), ctx(3)).decision, { action: 'alone' });
    assert.equal(groupOpening(state, regional(1), ctx(3)).decision.action, 'join');
  });

  it('minMonitors 0 turns grouping off', () => {
    const off = { ...ctx(0, peers(9)), settings: { ...DEFAULT_GROUPING, minMonitors: 0 } };
    assert.deepEqual(groupOpening(groupingState(), candidate(1), off).decision, {
      action: 'alone',
    });
  });
});

/** A random outage story over a few hosts, routes and monitors. */
const HOSTS = ['a', 'b', 'c'];
const ROUTES = ['ops', 'dba', 'web'];
const events = fc.array(
  fc.oneof(
    {
      arbitrary: fc.record({ type: fc.constant('suspect' as const), monitor: fc.nat(11) }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        type: fc.constant('host-fails' as const),
        host: fc.constantFrom(...HOSTS),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({ type: fc.constant('confirm' as const), monitor: fc.nat(11) }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        type: fc.constant('end' as const),
        monitor: fc.nat(11),
        retracted: fc.boolean(),
      }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        type: fc.constant('advance' as const),
        ms: fc.integer({ min: 1, max: 120_000 }),
      }),
      weight: 1,
    },
  ),
  { minLength: 30, maxLength: 80 },
);

const monitorsArb = fc.array(
  fc.record({
    host: fc.constantFrom(...HOSTS),
    routes: fc.subarray(ROUTES, { minLength: 1 }),
    regional: fc.boolean(),
  }),
  { minLength: 12, maxLength: 12 },
);

describe('cause grouping, property-based', () => {
  it('every failing monitor is in at most one group; no route hears a group twice; nothing is unheard', () => {
    let groupedRuns = 0;
    fc.assert(
      fc.property(monitorsArb, events, fc.integer({ min: 0, max: 4 }), (monitors, story, min) => {
        const settings: GroupingSettings = { ...SETTINGS, minMonitors: min === 1 ? 2 : min };
        let state: GroupingState = groupingState();
        let grouped = false;
        let now = 0;
        let serial = 0;
        const suspect = new Set<number>();
        const open = new Map<number, string>(); // monitor → its open incident
        const pages = new Map<string, number>(); // group:route → pages
        const heard = new Map<string, Set<string>>(); // incident → routes it reached
        const held = new Map<string, string>(); // incident → group it waits for
        const incidentOf = new Map<string, number>(); // incident → monitor
        const failing: FailingPeers = (cause) =>
          [...suspect].filter((n) => !open.has(n) && causesOf(n).some((c) => same(c, cause)))
            .length;
        const causesOf = (n: number): SharedCause[] => [
          { kind: 'host', value: defined(monitors[n]).host },
        ];
        const same = (x: SharedCause, y: SharedCause): boolean =>
          sharedCauseKey(x) === sharedCauseKey(y);
        const hear = (incidentId: string, routes: readonly string[]): void => {
          const set = heard.get(incidentId) ?? new Set<string>();
          for (const r of routes) set.add(r);
          heard.set(incidentId, set);
        };
        const page = (groupId: string, routes: readonly string[], members: string[]): void => {
          for (const r of routes) {
            const key = `${groupId}:${r}`;
            pages.set(key, (pages.get(key) ?? 0) + 1);
            for (const m of members) hear(m, [r]);
          }
        };
        const tick = (): void => {
          const t = groupingTick(state, { now, settings, failingPeers: failing });
          state = t.state;
          for (const { group, routes } of t.formed) {
            if (group.members.length > 1) grouped = true;
            page(
              group.id,
              routes,
              group.members.map((m) => m.incidentId),
            );
            for (const m of group.members) held.delete(m.incidentId);
          }
          for (const group of t.dissolved) {
            for (const m of group.members) {
              held.delete(m.incidentId);
              hear(m.incidentId, m.routes);
            }
          }
        };
        for (const event of story) {
          const m = 'monitor' in event ? defined(monitors[event.monitor]) : undefined;
          if (event.type === 'advance') now += event.ms;
          if (event.type === 'suspect') suspect.add(event.monitor);
          if (event.type === 'host-fails')
            monitors.forEach((x, n) => {
              if (x.host === event.host) suspect.add(n);
            });
          if (event.type === 'confirm' && !open.has(event.monitor) && m !== undefined) {
            const incidentId = `inc-${++serial}`;
            open.set(event.monitor, incidentId);
            incidentOf.set(incidentId, event.monitor);
            suspect.delete(event.monitor);
            // Host c is only unreachable from one region: its monitors are regional.
            const regional = m.regional && m.host === 'c';
            const step = groupOpening(
              state,
              {
                monitorId: `m${event.monitor}`,
                name: `m${event.monitor}`,
                incidentId,
                verdict: regional ? 'regional' : 'down',
                regions: regional ? ['r1'] : [],
                causes: causesOf(event.monitor),
                routes: m.routes,
              },
              { now, settings, failingPeers: failing, newId: () => `g${++serial}` },
            );
            state = step.state;
            const d = step.decision;
            if (d.action === 'alone') hear(incidentId, m.routes);
            if (d.action === 'hold') held.set(incidentId, d.group.id);
            if (d.action === 'join') {
              page(d.group.id, d.newRoutes, [incidentId]);
              // Routes the group paged before it joined heard of the group.
              hear(incidentId, d.group.pagedRoutes);
            }
          }
          if (event.type === 'end' && open.has(event.monitor)) {
            const incidentId = defined(open.get(event.monitor));
            open.delete(event.monitor);
            state = groupMemberEnded(
              state,
              incidentId,
              now,
              event.retracted ? 'retracted' : 'recovered',
            ).state;
          }
          tick();
          // Invariant: an incident is in at most one open group.
          const memberships = [...state.groups.values()].flatMap((g) =>
            g.members.filter((x) => x.ended === null).map((x) => x.incidentId),
          );
          // The index agrees with the groups, and each group counts its open members.
          for (const g of state.groups.values())
            assert.equal(g.open, g.members.filter((x) => x.ended === null).length);
          for (const id of memberships) assert.ok(state.memberOf.has(id));
          assert.equal(new Set(memberships).size, memberships.length);
          for (const id of memberships) assert.ok([...open.values()].includes(id));
        }
        // Let every wait run out: nothing is left held.
        now += settings.waitMs + 1;
        tick();
        assert.equal(held.size, 0);
        for (const count of pages.values()) assert.equal(count, 1);
        // Every confirmed incident reached every route its own page would have taken.
        for (const [incidentId, n] of incidentOf) {
          const reached = heard.get(incidentId) ?? new Set();
          for (const r of defined(monitors[n]).routes)
            assert.ok(reached.has(r), `${incidentId} on ${r}`);
        }
        if (grouped) groupedRuns++;
      }),
      { numRuns: 300 },
    );
    // The stories must exercise grouping, not only lone pages.
    assert.ok(groupedRuns > 30, `only ${groupedRuns} runs grouped monitors`);
  });
});
