import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ResolvedRoute } from './routing.ts';
import { dueTimedPages, nextTimedPageAt, type PageableIncident } from './timed-pages.ts';

const MIN = 60_000;

function route(target: string, timing: { repeat?: number; escalate?: number }): ResolvedRoute {
  return {
    key: target,
    target,
    channel: 'webhook',
    settings: {},
    events: null,
    repeatEveryMs: timing.repeat ?? null,
    escalateAfterMs: timing.escalate ?? null,
    via: 'monitor',
  };
}

const incident: PageableIncident = { id: 'inc-1', openedAt: 1_000_000, acknowledged: false };

describe('re-notify and escalation timing', () => {
  it('repeats every N minutes from the first page, only the latest one when several passed', () => {
    const routes = [route('ops', { repeat: 30 * MIN })];
    assert.deepEqual(dueTimedPages(incident, routes, incident.openedAt + 29 * MIN), []);
    const first = dueTimedPages(incident, routes, incident.openedAt + 30 * MIN);
    assert.deepEqual(
      first.map((p) => [p.kind, p.key, p.dueAt]),
      [['repeat', 'repeat-1', incident.openedAt + 30 * MIN]],
    );
    const late = dueTimedPages(incident, routes, incident.openedAt + 95 * MIN);
    assert.deepEqual(
      late.map((p) => p.key),
      ['repeat-3'],
    );
  });

  it('escalates once after N minutes unacknowledged, then repeats from the escalation', () => {
    const routes = [route('manager', { escalate: 15 * MIN, repeat: 10 * MIN })];
    assert.deepEqual(dueTimedPages(incident, routes, incident.openedAt + 14 * MIN), []);
    assert.deepEqual(
      dueTimedPages(incident, routes, incident.openedAt + 15 * MIN).map((p) => p.key),
      ['escalate'],
    );
    assert.deepEqual(
      dueTimedPages(incident, routes, incident.openedAt + 26 * MIN).map((p) => p.key),
      ['escalate', 'repeat-1'],
    );
  });

  it('acknowledgement stops both, now and later', () => {
    const routes = [route('ops', { repeat: MIN }), route('boss', { escalate: MIN })];
    const acked = { ...incident, acknowledged: true };
    assert.deepEqual(dueTimedPages(acked, routes, incident.openedAt + 60 * MIN), []);
    assert.equal(nextTimedPageAt(acked, routes, incident.openedAt), null);
  });

  it('routes with neither timing never page again', () => {
    const routes = [route('ops', {})];
    assert.deepEqual(dueTimedPages(incident, routes, incident.openedAt + 1e9), []);
    assert.equal(nextTimedPageAt(incident, routes, incident.openedAt), null);
  });

  it('property: every due page is due, keys are unique, and the next due time is in the future and exact', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            repeat: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
            escalate: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
          }),
          { maxLength: 5 },
        ),
        fc.integer({ min: 0, max: 600 }),
        (timings, minutes) => {
          const routes = timings.map((t, i) =>
            route(`t${i}`, {
              ...(t.repeat === undefined ? {} : { repeat: t.repeat * MIN }),
              ...(t.escalate === undefined ? {} : { escalate: t.escalate * MIN }),
            }),
          );
          const now = incident.openedAt + minutes * MIN;
          const pages = dueTimedPages(incident, routes, now);
          const keys = pages.map((p) => `${p.route.key}:${p.key}`);
          assert.equal(new Set(keys).size, keys.length);
          for (const page of pages) assert.ok(page.dueAt <= now);
          const next = nextTimedPageAt(incident, routes, now);
          if (next !== null) {
            assert.ok(next > now);
            // Nothing new is due strictly before `next`, and something new is due at it.
            const before = new Set(
              dueTimedPages(incident, routes, next - 1).map((p) => `${p.route.key}:${p.key}`),
            );
            const at = dueTimedPages(incident, routes, next).map((p) => `${p.route.key}:${p.key}`);
            assert.ok(
              at.some((k) => !before.has(k) && !keys.includes(k)) ||
                at.some((k) => !keys.includes(k)),
            );
          }
        },
      ),
    );
  });
});
