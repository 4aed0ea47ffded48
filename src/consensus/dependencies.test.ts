import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { DependencyNode } from '../domain/dependencies.ts';
import { findDependencyCycle } from '../domain/dependencies.ts';
import type { UpstreamView } from './dependencies.ts';
import { dependencyAtOpening, explains, judgeDependency } from './dependencies.ts';

const parent = (over: Partial<UpstreamView> = {}): UpstreamView => ({
  monitorId: 'p',
  name: 'router',
  incident: null,
  suspect: false,
  holdMs: 30_000,
  ...over,
});
const down = { id: 'inc-p', verdict: 'down' as const, regions: [] };
const base = {
  verdict: 'down' as const,
  regions: [],
  heldSince: null,
  now: 100_000,
  closing: false,
};

describe('dependency decisions (pure)', () => {
  it('a parent confirmed down explains a failing child: linked to its incident', () => {
    const decision = judgeDependency({ ...base, upstream: [parent({ incident: down })] });
    assert.deepEqual(decision, {
      action: 'link',
      cause: { incidentId: 'inc-p', monitorId: 'p', monitorName: 'router' },
    });
  });

  it('a regional parent explains a child regional in the same regions only', () => {
    const regional = { id: 'inc-p', verdict: 'regional' as const, regions: ['eu', 'us'] };
    assert.equal(explains(regional, 'regional', ['eu']), true);
    assert.equal(explains(regional, 'regional', ['eu', 'ap']), false);
    assert.equal(explains(regional, 'down', []), false, 'down everywhere is more than the parent');
    assert.equal(explains(down, 'regional', ['ap']), true);
  });

  it('a failing parent without a verdict holds the page for its hold time, then lets it go', () => {
    const upstream = [parent({ suspect: true, holdMs: 30_000 })];
    assert.deepEqual(judgeDependency({ ...base, upstream }), { action: 'hold' });
    const held = { ...base, upstream, heldSince: 100_000 };
    assert.deepEqual(judgeDependency({ ...held, now: 129_999 }), { action: 'hold' });
    assert.deepEqual(judgeDependency({ ...held, now: 130_000 }), { action: 'page' });
    assert.deepEqual(judgeDependency({ ...held, closing: true }), { action: 'page' });
  });

  it('no parent failing: the incident pages on its own; no parents: nothing to record', () => {
    assert.deepEqual(judgeDependency({ ...base, upstream: [parent()] }), { action: 'page' });
    assert.deepEqual(dependencyAtOpening([], 'down', [], 1), {});
    assert.deepEqual(dependencyAtOpening([parent({ suspect: true })], 'down', [], 7), {
      causedBy: null,
      heldSince: 7,
    });
  });

  it('property: a page is held only while some failing parent is within its hold time', () => {
    const view = fc.record({
      monitorId: fc.constantFrom('a', 'b', 'c'),
      name: fc.constant('n'),
      incident: fc.option(
        fc.record({
          id: fc.constantFrom('i1', 'i2'),
          verdict: fc.constantFrom('down' as const, 'regional' as const),
          regions: fc.subarray(['eu', 'us', 'ap']),
        }),
      ),
      suspect: fc.boolean(),
      holdMs: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(view, { maxLength: 4 }),
        fc.constantFrom('down' as const, 'regional' as const),
        fc.subarray(['eu', 'us', 'ap']),
        fc.option(fc.integer({ min: 0, max: 200_000 })),
        fc.integer({ min: 0, max: 200_000 }),
        fc.boolean(),
        (upstream, verdict, regions, heldSince, later, closing) => {
          const now = (heldSince ?? 0) + later;
          const input = { upstream, verdict, regions, heldSince, now, closing };
          const decision = judgeDependency(input);
          const explaining = upstream.filter(
            (p) => p.incident !== null && explains(p.incident, verdict, regions),
          );
          if (explaining.length > 0) {
            assert.equal(decision.action, 'link');
            if (decision.action === 'link')
              assert.equal(decision.cause.incidentId, explaining[0]?.incident?.id);
            return;
          }
          const since = heldSince ?? now;
          const waiting = upstream.some(
            (p) => p.incident === null && p.suspect && now - since < p.holdMs,
          );
          assert.equal(decision.action, !closing && waiting ? 'hold' : 'page');
        },
      ),
    );
  });
});

describe('dependency circles (pure)', () => {
  const node = (id: string, dependsOn: string[], group: string | null = null): DependencyNode => ({
    id,
    name: id,
    group,
    dependsOn,
  });

  it('names the circle, through groups too; a monitor depending on its own group is not one', () => {
    assert.deepEqual(findDependencyCycle([node('a', ['b']), node('b', ['a'])]), ['a', 'b', 'a']);
    assert.equal(findDependencyCycle([node('a', ['group:core'], 'core')]), null);
    assert.deepEqual(
      findDependencyCycle([node('a', ['group:core'], 'core'), node('b', ['group:core'], 'core')]),
      ['a', 'b', 'a'],
    );
    assert.equal(findDependencyCycle([node('a', ['x']), node('b', ['a'])]), null, 'unknown ids');
  });

  it('property: edges only to earlier monitors never form a circle; one edge back always does', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 12 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 30 }),
            ),
          ),
        ([n, pairs]) => {
          const deps = Array.from({ length: n }, () => new Set<string>());
          for (const [x, y] of pairs) {
            const [from, to] = x > y ? [x, y] : [y, x];
            if (from !== to) deps[from]?.add(`m${to}`);
          }
          const nodes = deps.map((set, i) => node(`m${i}`, [...set]));
          assert.equal(findDependencyCycle(nodes), null);
          // m0 → the last monitor closes a circle if the last one reaches m0.
          const reaches = (from: number, seen = new Set<number>()): boolean => {
            if (from === 0) return true;
            seen.add(from);
            return [...(deps[from] ?? [])].some((id) => {
              const to = Number(id.slice(1));
              return !seen.has(to) && reaches(to, seen);
            });
          };
          const closed = nodes.map((m, i) => (i === 0 ? node('m0', [`m${n - 1}`]) : m));
          const cycle = findDependencyCycle(closed);
          if (reaches(n - 1)) {
            assert.ok(cycle !== null);
            assert.equal(cycle[0], cycle[cycle.length - 1], 'the circle ends where it starts');
          } else assert.equal(cycle, null);
        },
      ),
    );
  });
});
