import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ConsensusEffect } from './monitor-consensus.ts';
import type { UpstreamView } from './dependencies.ts';
import { Harness } from './testing/consensus-harness.ts';

type AlertEffect = Extract<ConsensusEffect, { type: 'alert' }>;

const openings = (h: Harness): AlertEffect[] => h.of('alert').filter((a) => a.routes !== 'paged');
const summary = (alerts: AlertEffect[]): string[] =>
  alerts.map((a) => `${a.kind}:${a.suppressed ? `suppressed(${a.reason})` : a.reason}`);

/** Node `a` reports the monitor failing and `coord` agrees: confirmed down. */
function fail(h: Harness): void {
  h.suspect('a');
  h.vote('coord', 'fail');
}

/** Both nodes see it up again: confirmed recovered. */
function recover(h: Harness): void {
  h.recovered('a');
  h.vote('coord', 'ok');
}

/** The parent as a child's runner would describe it from the parent's own state. */
function viewOf(p: Harness, holdMs = 30_000): UpstreamView {
  const open = p.state.fields.openIncident;
  return {
    monitorId: p.monitorId,
    name: `monitor ${p.monitorId}`,
    incident: open === null ? null : { id: open.id, verdict: open.verdict, regions: open.regions },
    suspect: p.state.round !== null || Object.values(p.state.views).some((v) => v.suspect),
    holdMs,
  };
}

function pair(): { parent: Harness; child: Harness; sync: () => void } {
  const parent = new Harness({ coord: null, a: null }, {}, 'router');
  const child = new Harness({ coord: null, a: null }, {}, 'web');
  const sync = (): void => {
    child.now = parent.now;
    child.upstream = [viewOf(parent)];
    child.send({ type: 'upstream' });
  };
  return { parent, child, sync };
}

describe('monitor dependencies in the consensus core', () => {
  it('a child confirmed while its parent is down is linked and pages nobody; it pages once the parent recovers', () => {
    const { parent, child, sync } = pair();
    fail(parent);
    sync();
    fail(child);
    const [opened] = child.of('incident-opened');
    assert.equal(opened?.incident.causedBy?.monitorId, 'router');
    assert.equal(opened?.incident.causedBy?.incidentId, parent.state.fields.openIncident?.id);
    assert.deepEqual(summary(openings(child)), ['down:suppressed(dependency-down)']);
    assert.equal(child.state.fields.status, 'down', 'the child stays visibly down');

    parent.now += 60_000;
    recover(parent);
    sync();
    assert.deepEqual(summary(openings(child)), [
      'down:suppressed(dependency-down)',
      'down:dependency-recovered',
    ]);
    const links = child.of('incident-linked');
    assert.equal(links.at(-1)?.causedBy, null, 'its incident now stands on its own');
    const [own] = openings(child).slice(-1);
    assert.notEqual(own?.idempotencyKey, openings(child)[0]?.idempotencyKey, 'a page of its own');

    // A later outage of the parent does not take the child's page back.
    parent.now += 60_000;
    fail(parent);
    sync();
    assert.equal(child.state.fields.openIncident?.causedBy ?? null, null);
    child.now = parent.now + 10_000;
    recover(child);
    assert.deepEqual(
      child
        .of('alert')
        .filter((a) => a.routes === 'paged')
        .map((a) => a.kind),
      ['recovered'],
    );
  });

  it('a child that recovers with its parent stays silent from start to end', () => {
    const { parent, child, sync } = pair();
    fail(parent);
    sync();
    fail(child);
    child.now += 30_000;
    recover(child);
    parent.now = child.now;
    recover(parent);
    sync();
    assert.deepEqual(summary(openings(child)), ['down:suppressed(dependency-down)']);
    // Its recovery follows a suppressed opening: the store records it suppressed as well.
    assert.equal(child.of('alert').filter((a) => a.routes === 'paged').length, 1);
  });

  it('a child confirmed first waits for its failing parent; the parent confirmed → linked, recorded', () => {
    const { parent, child, sync } = pair();
    parent.suspect('a');
    sync();
    fail(child);
    assert.deepEqual(openings(child), [], 'held: no page yet, nothing recorded as sent');
    assert.equal(child.state.fields.openIncident?.heldSince, child.now);
    parent.vote('coord', 'fail');
    sync();
    assert.deepEqual(summary(openings(child)), ['down:suppressed(dependency-down)']);
    assert.equal(child.state.fields.openIncident?.causedBy?.monitorId, 'router');
  });

  it('a held page goes out when the parent is not confirmed within its hold time', () => {
    const { parent, child, sync } = pair();
    parent.suspect('a');
    sync();
    fail(child);
    child.now += 29_000;
    child.send({ type: 'tick' });
    assert.deepEqual(openings(child), []);
    child.now += 1_000;
    child.send({ type: 'tick' });
    assert.deepEqual(summary(openings(child)), ['down:dependency-not-down']);
  });

  it('a held page is decided before its incident resolves: a confirmed outage is never unheard', () => {
    const { parent, child, sync } = pair();
    parent.suspect('a');
    sync();
    fail(child);
    child.now += 5_000;
    recover(child);
    assert.deepEqual(summary(openings(child)), ['down:dependency-not-down']);
    assert.deepEqual(
      child
        .of('alert')
        .filter((a) => a.routes === 'paged')
        .map((a) => a.kind),
      ['recovered'],
    );
  });

  it('a regional parent does not explain a child down everywhere', () => {
    const child = new Harness({ coord: null, a: null }, {}, 'web');
    child.upstream = [
      {
        monitorId: 'router',
        name: 'router',
        incident: { id: 'inc-r', verdict: 'regional', regions: ['eu'] },
        suspect: false,
        holdMs: 30_000,
      },
    ];
    fail(child);
    assert.deepEqual(summary(openings(child)), ['down:new-incident']);
  });

  it('property: a child never pages while its parent is confirmed down, and every confirmed outage is heard or explained', () => {
    type Step = 'parent-fail' | 'parent-recover' | 'child-fail' | 'child-recover' | 'wait';
    const steps = fc.array(
      fc.constantFrom<Step>('parent-fail', 'parent-recover', 'child-fail', 'child-recover', 'wait'),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(fc.array(steps, { minLength: 3, maxLength: 3 }), (plans) => {
        const parent = new Harness({ coord: null, a: null }, {}, 'router');
        const children = plans.map((_, i) => new Harness({ coord: null, a: null }, {}, `c${i}`));
        const syncAll = (): void => {
          for (const child of children) {
            child.now = parent.now;
            child.upstream = [viewOf(parent)];
            child.send({ type: 'upstream' });
          }
        };
        const act = (h: Harness, step: Step): void => {
          const open = h.state.fields.openIncident !== null;
          if (step.endsWith('fail') && !open) fail(h);
          if (step.endsWith('recover') && open) recover(h);
        };
        const longest = Math.max(...plans.map((p) => p.length));
        for (let t = 0; t < longest; t++) {
          parent.now += 5_000;
          for (const [i, child] of children.entries()) {
            const step = plans[i]?.[t] ?? 'wait';
            if (step.startsWith('parent')) act(parent, step);
            syncAll();
            const before = openings(child).length;
            if (step.startsWith('child')) act(child, step);
            child.send({ type: 'tick' });
            // Invariant: an outage page (down, regional) the child sends in this step never
            // comes while its parent has a confirmed incident open. (Flapping alerts speak of
            // the child's own storm of changes and are not a dependency's to hold back.)
            for (const alert of openings(child).slice(before)) {
              if (!alert.suppressed && (alert.kind === 'down' || alert.kind === 'regional'))
                assert.equal(
                  parent.state.fields.openIncident,
                  null,
                  'a child paged under its parent',
                );
            }
          }
        }
        // The parent recovers for good and every hold runs out.
        if (parent.state.fields.openIncident !== null) recover(parent);
        parent.now += 60_000;
        syncAll();
        for (const child of children) {
          child.send({ type: 'tick' });
          const open = child.state.fields.openIncident;
          const opened = child.of('incident-opened');
          for (const incident of opened) {
            const alerts = openings(child).filter((a) => a.incident?.id === incident.incident.id);
            const sent = alerts.filter((a) => !a.suppressed);
            // Every confirmed incident was paged once, or recorded suppressed for its parent.
            assert.ok(sent.length <= 1, 'no more than one page per incident on a route');
            assert.ok(alerts.length >= 1, 'every confirmed incident was decided');
            // A child flapping on its own has its one `flapping` alert standing for its pages
            // (it pages when the flapping ends, if still down).
            const flapping = child.state.fields.flappingSince !== null;
            if (open !== null && open.id === incident.incident.id && !flapping)
              assert.equal(sent.length, 1, 'a child still down after its parent recovered paged');
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
