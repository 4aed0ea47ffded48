import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AlertKind } from '../domain/alert.ts';
import type {
  AlertRoute,
  AlertRule,
  AlertRuleScope,
  AlertTarget,
  RoutedEvent,
  TargetRoute,
} from '../domain/alert-target.ts';
import {
  DEFAULT_MONITOR_EVENTS,
  DEFAULT_NODE_EVENTS,
  ROUTED_EVENTS,
} from '../domain/alert-target.ts';
import type { Monitor } from '../domain/monitor.ts';
import {
  closingOptOuts,
  monitorRoutes,
  nodeRoutes,
  routedEventOf,
  type RoutingSnapshot,
} from './routing.ts';

const MIN = 60_000;
type RoutedMonitor = Pick<Monitor, 'alerts' | 'regionalAlerts' | 'group' | 'tags'>;

function target(name: string, type = 'webhook'): AlertTarget {
  return { id: `id-${name}`, name, type, settings: {}, template: null, createdAt: 0, updatedAt: 0 };
}

function to(name: string, overrides: Partial<Omit<TargetRoute, 'target'>> = {}): TargetRoute {
  return { target: name, events: null, repeatEveryMs: null, escalateAfterMs: null, ...overrides };
}

let ruleCounter = 0;
function rule(scope: AlertRuleScope, route: TargetRoute): AlertRule {
  return { id: `rule-${++ruleCounter}`, scope, createdAt: 0, ...route };
}

function snapshot(rules: AlertRule[], names: string[]): RoutingSnapshot {
  return { rules, targets: new Map(names.map((n) => [n, target(n, `type-${n}`)])) };
}

function monitor(overrides: Partial<RoutedMonitor> = {}): RoutedMonitor {
  return { alerts: [], regionalAlerts: [], group: 'web', tags: ['prod'], ...overrides };
}

const keys = (routes: { key: string }[]) => routes.map((r) => r.key);

describe('monitor routing: own routes, group and tag rules', () => {
  const routing = snapshot(
    [
      rule({ kind: 'group', group: 'web' }, to('web-team')),
      rule({ kind: 'group', group: 'db' }, to('db-team')),
      rule({ kind: 'tag', tag: 'prod' }, to('prod-pager')),
      rule({ kind: 'tag', tag: 'eu' }, to('eu-chat')),
      rule({ kind: 'default' }, to('fallback')),
    ],
    ['ops', 'web-team', 'db-team', 'prod-pager', 'eu-chat', 'fallback'],
  );

  it('a down alert goes to the monitor’s routes, its group’s and its tags’ rules in that order', () => {
    const routes = monitorRoutes(
      monitor({ alerts: [to('ops')], tags: ['prod', 'eu'] }),
      'down',
      routing,
    );
    assert.deepEqual(keys(routes), ['ops', 'web-team', 'eu-chat', 'prod-pager']);
    assert.deepEqual(
      routes.map((r) => r.via),
      ['monitor', 'group:web', 'tag:eu', 'tag:prod'],
      'tags in name order',
    );
    assert.equal(routes[0]?.channel, 'type-ops', 'a target route resolves to its target’s type');
    assert.deepEqual(routes[0]?.settings, {}, 'a target’s settings are read when sent');
  });

  it('rules of another group or tag do not apply', () => {
    const routes = monitorRoutes(monitor({ group: 'db', tags: [] }), 'down', routing);
    assert.deepEqual(keys(routes), ['db-team']);
  });

  it('default rules apply only to a monitor with no route of its own for the event', () => {
    const bare = monitor({ group: null, tags: [] });
    assert.deepEqual(keys(monitorRoutes(bare, 'down', routing)), ['fallback']);
    const owned = monitor({ group: null, tags: [], alerts: [to('ops')] });
    assert.deepEqual(keys(monitorRoutes(owned, 'down', routing)), ['ops']);
    // A group rule is a route of the monitor's own too.
    assert.deepEqual(keys(monitorRoutes(monitor({ tags: [] }), 'down', routing)), ['web-team']);
  });

  it('an own route that does not hear the event leaves that event to the default rules', () => {
    const downOnly = monitor({ group: null, tags: [], alerts: [to('ops', { events: ['down'] })] });
    assert.deepEqual(keys(monitorRoutes(downOnly, 'down', routing)), ['ops']);
    assert.deepEqual(keys(monitorRoutes(downOnly, 'flapping', routing)), ['fallback']);
  });

  it('no routes and no default rule: nowhere to go', () => {
    assert.deepEqual(
      monitorRoutes(monitor({ group: null, tags: [] }), 'down', snapshot([], [])),
      [],
    );
  });
});

describe('monitor routing: which events a route hears', () => {
  const routing = snapshot([], ['ops', 'regional-team', 'noisy']);

  it('a route naming no events hears the monitor defaults (not regional)', () => {
    const m = monitor({ group: null, tags: [], alerts: [to('ops')] });
    for (const kind of ['down', 'recovered', 'retracted', 'flapping', 'flapping-ended'] as const)
      assert.deepEqual(keys(monitorRoutes(m, kind, routing)), ['ops'], kind);
    assert.deepEqual(monitorRoutes(m, 'regional', routing), []);
  });

  it('regional list routes hear regional verdicts by default and nothing else', () => {
    const m = monitor({ group: null, tags: [], regionalAlerts: [to('regional-team')] });
    assert.deepEqual(keys(monitorRoutes(m, 'regional', routing)), ['regional-team']);
    assert.deepEqual(monitorRoutes(m, 'down', routing), []);
    assert.deepEqual(monitorRoutes(m, 'recovered', routing), []);
  });

  it('explicit events opt in to exactly those events', () => {
    const m = monitor({ group: null, tags: [], alerts: [to('noisy', { events: ['regional'] })] });
    assert.deepEqual(keys(monitorRoutes(m, 'regional', routing)), ['noisy']);
    assert.deepEqual(monitorRoutes(m, 'down', routing), []);
  });

  it('flapping-ended counts as flapping', () => {
    assert.equal(routedEventOf('flapping-ended'), 'flapping');
    const m = monitor({ group: null, tags: [], alerts: [to('ops', { events: ['flapping'] })] });
    assert.deepEqual(keys(monitorRoutes(m, 'flapping-ended', routing)), ['ops']);
  });
});

describe('monitor routing: dedup, inline routes, escalations, unknown targets', () => {
  it('a target reached twice is paged once, by the first route that reaches it', () => {
    const routing = snapshot(
      [
        rule({ kind: 'group', group: 'web' }, to('ops', { repeatEveryMs: 5 * MIN })),
        rule({ kind: 'tag', tag: 'prod' }, to('ops')),
      ],
      ['ops'],
    );
    const routes = monitorRoutes(
      monitor({ alerts: [to('ops', { events: ['down'] })] }),
      'down',
      routing,
    );
    assert.deepEqual(keys(routes), ['ops']);
    assert.equal(routes[0]?.via, 'monitor');
    assert.equal(routes[0]?.repeatEveryMs, null, 'the first route’s timing, not the rule’s');
  });

  it('inline routes are keyed by list and position and keep their settings', () => {
    const inline: AlertRoute = { channel: 'webhook', settings: { url: 'http://127.0.0.1:9/a' } };
    const m = monitor({
      group: null,
      tags: [],
      alerts: [inline, inline],
      regionalAlerts: [inline],
    });
    const down = monitorRoutes(m, 'down', snapshot([], []));
    assert.deepEqual(keys(down), ['inline:alerts:0', 'inline:alerts:1']);
    assert.equal(down[0]?.target, null);
    assert.equal(down[0]?.channel, 'webhook');
    assert.deepEqual(down[0]?.settings, { url: 'http://127.0.0.1:9/a' });
    assert.deepEqual(keys(monitorRoutes(m, 'regional', snapshot([], []))), ['inline:regional:0']);
  });

  it('escalation steps are held back unless asked for', () => {
    const routing = snapshot(
      [rule({ kind: 'group', group: 'web' }, to('manager', { escalateAfterMs: 30 * MIN }))],
      ['ops', 'manager'],
    );
    const m = monitor({ alerts: [to('ops')], tags: [] });
    assert.deepEqual(keys(monitorRoutes(m, 'down', routing)), ['ops']);
    assert.deepEqual(keys(monitorRoutes(m, 'down', routing, { includeEscalations: true })), [
      'ops',
      'manager',
    ]);
  });

  it('an escalation step of the monitor’s own still counts as its route: defaults stay out', () => {
    const routing = snapshot([rule({ kind: 'default' }, to('fallback'))], ['manager', 'fallback']);
    const m = monitor({
      group: null,
      tags: [],
      alerts: [to('manager', { escalateAfterMs: 10 * MIN })],
    });
    assert.deepEqual(monitorRoutes(m, 'down', routing), []);
    assert.deepEqual(keys(monitorRoutes(m, 'down', routing, { includeEscalations: true })), [
      'manager',
    ]);
  });

  it('a route to a target that does not exist is kept with an empty channel (the send says so)', () => {
    const routes = monitorRoutes(
      monitor({ group: null, tags: [], alerts: [to('gone')] }),
      'down',
      snapshot([], []),
    );
    assert.deepEqual(
      routes.map((r) => [r.key, r.target, r.channel]),
      [['gone', 'gone', '']],
    );
  });
});

describe('closing opt-outs', () => {
  it('a route that does not hear recovered gets no recovery; one naming no events does', () => {
    const routing = snapshot([], ['pager', 'chat']);
    const m = monitor({
      group: null,
      tags: [],
      alerts: [to('pager', { events: ['down'] }), to('chat')],
    });
    assert.deepEqual(closingOptOuts(m, 'recovered', routing), ['pager']);
    assert.deepEqual(closingOptOuts(m, 'retracted', routing), ['pager']);
  });

  it('a route hearing recovered but not retracted opts out of the retraction only', () => {
    const routing = snapshot([], ['pager']);
    const m = monitor({
      group: null,
      tags: [],
      alerts: [to('pager', { events: ['down', 'recovered'] })],
    });
    assert.deepEqual(closingOptOuts(m, 'recovered', routing), []);
    assert.deepEqual(closingOptOuts(m, 'retracted', routing), ['pager']);
  });

  it('rules and default rules opt out the same way; inline routes never do', () => {
    const routing = snapshot(
      [
        rule({ kind: 'tag', tag: 'prod' }, to('tag-pager', { events: ['down'] })),
        rule({ kind: 'default' }, to('fallback', { events: ['down'] })),
      ],
      ['tag-pager', 'fallback'],
    );
    const inline: AlertRoute = { channel: 'webhook', settings: {} };
    const tagged = monitor({ group: null, tags: ['prod'], alerts: [inline] });
    assert.deepEqual(closingOptOuts(tagged, 'recovered', routing), ['tag-pager']);
    const bare = monitor({ group: null, tags: [] });
    assert.deepEqual(closingOptOuts(bare, 'recovered', routing), ['fallback']);
  });

  it('an escalation step that names its events opts out like any route', () => {
    const routing = snapshot([], ['manager']);
    const m = monitor({
      group: null,
      tags: [],
      alerts: [to('manager', { events: ['down'], escalateAfterMs: 10 * MIN })],
    });
    assert.deepEqual(closingOptOuts(m, 'recovered', routing), ['manager']);
  });

  it('a target the monitor reaches itself is judged by that route, not by a default rule to it', () => {
    const routing = snapshot([rule({ kind: 'default' }, to('ops', { events: ['down'] }))], ['ops']);
    const m = monitor({ group: null, tags: [], alerts: [to('ops')] });
    assert.deepEqual(keys(monitorRoutes(m, 'recovered', routing)), ['ops']);
    assert.deepEqual(closingOptOuts(m, 'recovered', routing), []);
  });
});

describe('node routing', () => {
  const routing = snapshot([], ['ops', 'cluster']);

  it('routes naming no events hear every node transition and nothing else', () => {
    for (const kind of DEFAULT_NODE_EVENTS)
      assert.deepEqual(keys(nodeRoutes([to('ops')], kind, routing)), ['ops'], kind);
    assert.deepEqual(nodeRoutes([to('ops')], 'down', routing), []);
  });

  it('explicit events, inline keys and via', () => {
    const inline: AlertRoute = { channel: 'webhook', settings: { url: 'http://127.0.0.1:9/n' } };
    const routes: AlertRoute[] = [to('ops', { events: ['node-missing'] }), inline, to('cluster')];
    assert.deepEqual(keys(nodeRoutes(routes, 'node-missing', routing)), [
      'ops',
      'inline:nodes:1',
      'cluster',
    ]);
    const online = nodeRoutes(routes, 'node-online', routing);
    assert.deepEqual(keys(online), ['inline:nodes:1', 'cluster']);
    assert.ok(online.every((r) => r.via === 'nodes'));
  });
});

// Properties over arbitrary monitors, rules and targets.

const NAMES = ['a', 'b', 'c', 'd', 'e'];
const eventsArb = fc.option(fc.subarray([...ROUTED_EVENTS], { minLength: 1 }), { nil: null });
const timingArb = fc.option(fc.constantFrom(5 * MIN, 30 * MIN), { nil: null });
const targetRouteArb: fc.Arbitrary<TargetRoute> = fc.record({
  target: fc.constantFrom(...NAMES),
  events: eventsArb,
  repeatEveryMs: timingArb,
  escalateAfterMs: timingArb,
});
const routeArb: fc.Arbitrary<AlertRoute> = fc.oneof(
  { weight: 4, arbitrary: targetRouteArb },
  { weight: 1, arbitrary: fc.constant({ channel: 'webhook', settings: {} }) },
);
const scopeArb: fc.Arbitrary<AlertRuleScope> = fc.oneof(
  fc.constantFrom('web', 'db').map((group) => ({ kind: 'group' as const, group })),
  fc.constantFrom('prod', 'eu').map((tag) => ({ kind: 'tag' as const, tag })),
  fc.constant({ kind: 'default' as const }),
);
const worldArb = fc.record({
  monitor: fc.record({
    alerts: fc.array(routeArb, { maxLength: 4 }),
    regionalAlerts: fc.array(routeArb, { maxLength: 2 }),
    group: fc.constantFrom('web', 'db', null),
    tags: fc.subarray(['prod', 'eu']),
  }),
  rules: fc.array(fc.tuple(scopeArb, targetRouteArb), { maxLength: 5 }),
  kind: fc.constantFrom<AlertKind>(
    'down',
    'regional',
    'recovered',
    'retracted',
    'flapping',
    'flapping-ended',
  ),
});

/** Rules as the store keeps them: one per scope and target (it refuses a second). */
function routingOf(rules: [AlertRuleScope, TargetRoute][]): RoutingSnapshot {
  const seen = new Set<string>();
  const stored = rules.filter(([scope, route]) => {
    const key = `${JSON.stringify(scope)}>${route.target}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return snapshot(
    stored.map(([scope, route]) => rule(scope, route)),
    NAMES,
  );
}

describe('routing properties', () => {
  it('every destination is paged at most once', () => {
    fc.assert(
      fc.property(worldArb, ({ monitor: m, rules, kind }) => {
        const routes = monitorRoutes(m, kind, routingOf(rules), { includeEscalations: true });
        assert.equal(new Set(keys(routes)).size, routes.length);
      }),
    );
  });

  it('every route returned hears the event, and only escalations are held back', () => {
    fc.assert(
      fc.property(worldArb, ({ monitor: m, rules, kind }) => {
        const routing = routingOf(rules);
        const event = routedEventOf(kind);
        const all = monitorRoutes(m, kind, routing, { includeEscalations: true });
        const now = monitorRoutes(m, kind, routing);
        assert.deepEqual(
          now,
          all.filter((r) => r.escalateAfterMs === null),
        );
        for (const route of all) {
          const defaults: readonly RoutedEvent[] =
            route.key.startsWith('inline:regional:') ||
            (route.via === 'monitor' &&
              route.target !== null &&
              !m.alerts.some((a) => 'target' in a && a.target === route.target))
              ? ['regional']
              : DEFAULT_MONITOR_EVENTS;
          assert.ok((route.events ?? defaults).includes(event), `${route.key} hears ${event}`);
        }
      }),
    );
  });

  it('default rules are used exactly when no own route hears the event', () => {
    fc.assert(
      fc.property(worldArb, ({ monitor: m, rules, kind }) => {
        const routing = routingOf(rules);
        const all = monitorRoutes(m, kind, routing, { includeEscalations: true });
        const withoutDefaults = monitorRoutes(
          m,
          kind,
          { ...routing, rules: routing.rules.filter((r) => r.scope.kind !== 'default') },
          { includeEscalations: true },
        );
        if (withoutDefaults.length > 0) assert.deepEqual(all, withoutDefaults);
        else assert.ok(all.every((r) => r.via === 'default'));
      }),
    );
  });

  it('a target is opted out of a closing exactly when every route that paged it leaves it out', () => {
    fc.assert(
      fc.property(worldArb, ({ monitor: m, rules }) => {
        const routing = routingOf(rules);
        const paged = (['down', 'regional'] as const).flatMap((opening) =>
          monitorRoutes(m, opening, routing, { includeEscalations: true }),
        );
        for (const closing of ['recovered', 'retracted'] as const) {
          const optedOut = closingOptOuts(m, closing, routing);
          const carriers = (t: string) => paged.filter((r) => r.target === t);
          for (const t of optedOut) {
            assert.ok(carriers(t).length > 0, `${t} was paged`);
            assert.ok(carriers(t).every((r) => r.events !== null && !r.events.includes(closing)));
          }
          for (const route of paged) {
            if (route.target === null || optedOut.includes(route.target)) continue;
            assert.ok(carriers(route.target).some((r) => r.events?.includes(closing) ?? true));
          }
        }
      }),
    );
  });

  it('node routes hear exactly their events or the node defaults', () => {
    fc.assert(
      fc.property(
        fc.array(routeArb, { maxLength: 5 }),
        fc.constantFrom(...ROUTED_EVENTS),
        (routes, kind) => {
          const resolved = nodeRoutes(routes, kind, routingOf([]));
          const expected = routes.flatMap((r, i) => {
            const events = 'target' in r ? r.events : null;
            return (events ?? DEFAULT_NODE_EVENTS).includes(kind)
              ? ['target' in r ? r.target : `inline:nodes:${i}`]
              : [];
          });
          assert.deepEqual(keys(resolved), expected);
        },
      ),
    );
  });
});
