import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Interval, UptimeInput } from './uptime.ts';
import { computeUptime, mergeIntervals, monitorUptime, subtract } from './uptime.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const interval = fc
  .tuple(fc.integer({ min: -DAY, max: 2 * DAY }), fc.integer({ min: 0, max: DAY }))
  .map(([from, length]): Interval => ({ from, to: from + length }));

const input: fc.Arbitrary<UptimeInput> = fc.record({
  window: fc.constant({ from: 0, to: DAY }),
  observedFrom: fc.integer({ min: -DAY, max: 2 * DAY }),
  paused: fc.array(interval, { maxLength: 4 }),
  down: fc.array(interval, { maxLength: 6 }),
});

describe('computeUptime (confirmed downtime over observed time)', () => {
  it('is 1 without downtime and 0 when down the whole observed time', () => {
    const window = { from: 0, to: DAY };
    assert.deepEqual(computeUptime({ window, observedFrom: 0, paused: [], down: [] }), {
      observedMs: DAY,
      downMs: 0,
      uptime: 1,
    });
    assert.equal(
      computeUptime({ window, observedFrom: 0, paused: [], down: [{ from: -1, to: DAY + 1 }] })
        .uptime,
      0,
    );
  });

  it('is one minus the incident length over the observed time', () => {
    const figure = computeUptime({
      window: { from: 0, to: DAY },
      observedFrom: 0,
      paused: [{ from: 2 * HOUR, to: 3 * HOUR }],
      // Half inside the pause: only the other half counts, on both sides of the division.
      down: [{ from: 2.5 * HOUR, to: 3.5 * HOUR }],
    });
    assert.deepEqual(figure, { observedMs: 23 * HOUR, downMs: HOUR / 2, uptime: 1 - 0.5 / 23 });
  });

  it('is null when nothing was observed (created after the window, or paused throughout)', () => {
    const window = { from: 0, to: DAY };
    assert.equal(computeUptime({ window, observedFrom: DAY, paused: [], down: [] }).uptime, null);
    const paused = [{ from: -HOUR, to: 2 * DAY }];
    assert.equal(computeUptime({ window, observedFrom: 0, paused, down: paused }).uptime, null);
  });

  it('stays within [0, 1], with downtime never above observed time', () => {
    fc.assert(
      fc.property(input, (i) => {
        const { observedMs, downMs, uptime } = computeUptime(i);
        assert.ok(downMs >= 0 && downMs <= observedMs);
        assert.ok(observedMs <= i.window.to - i.window.from);
        if (uptime === null) assert.equal(observedMs, 0);
        else assert.ok(uptime >= 0 && uptime <= 1);
      }),
    );
  });

  it('equals 1 with no incident whenever something was observed', () => {
    fc.assert(
      fc.property(input, (i) => {
        const { uptime, observedMs } = computeUptime({ ...i, down: [] });
        assert.equal(uptime, observedMs === 0 ? null : 1);
      }),
    );
  });

  it('counts overlapping incidents once', () => {
    fc.assert(
      fc.property(input, (i) => {
        const once = computeUptime(i);
        assert.deepEqual(computeUptime({ ...i, down: [...i.down, ...i.down] }), once);
        assert.deepEqual(computeUptime({ ...i, down: mergeIntervals(i.down) }), once);
        const sum = i.down.reduce((s, d) => s + (d.to - d.from), 0);
        assert.ok(once.downMs <= sum);
      }),
    );
  });

  it('leaves paused time out of both downtime and observed time', () => {
    fc.assert(
      fc.property(input, interval, (i, pause) => {
        const before = computeUptime(i);
        const after = computeUptime({ ...i, paused: [...i.paused, pause] });
        assert.ok(after.observedMs <= before.observedMs);
        assert.ok(after.downMs <= before.downMs);
        // Downtime inside a pause changes nothing at all.
        assert.deepEqual(
          computeUptime({ ...i, down: [...i.down, ...i.paused] }).downMs,
          before.downMs,
        );
      }),
    );
  });

  it('never rises when downtime is added', () => {
    fc.assert(
      fc.property(input, interval, (i, extra) => {
        const before = computeUptime(i);
        const after = computeUptime({ ...i, down: [...i.down, extra] });
        assert.equal(after.observedMs, before.observedMs);
        assert.ok(after.downMs >= before.downMs);
        if (before.uptime !== null && after.uptime !== null)
          assert.ok(after.uptime <= before.uptime);
      }),
    );
  });

  it('subtract keeps exactly the time no cut covers', () => {
    fc.assert(
      fc.property(interval, fc.array(interval, { maxLength: 5 }), (base, cuts) => {
        const left = subtract(base, cuts);
        for (const piece of left) {
          assert.ok(piece.from >= base.from && piece.to <= base.to && piece.to > piece.from);
          // An empty cut covers no time, wherever it lies.
          for (const cut of cuts.filter((c) => c.to > c.from))
            assert.ok(cut.to <= piece.from || cut.from >= piece.to);
        }
      }),
    );
  });
});

describe('monitorUptime (incidents to global and per-region figures)', () => {
  const window = { from: 0, to: DAY };

  it('counts a regional incident only against the regions it names', () => {
    const figure = monitorUptime(
      window,
      0,
      [],
      [{ startedAt: HOUR, downSince: null, endedAt: 2 * HOUR, regions: ['eu-west'] }],
    );
    assert.equal(figure.uptime, 1);
    assert.deepEqual(figure.regions, [
      { region: 'eu-west', observedMs: DAY, downMs: HOUR, uptime: 1 - 1 / 24 },
    ]);
  });

  it('counts an escalated incident as global downtime from its escalation on', () => {
    const figure = monitorUptime(
      window,
      0,
      [],
      [{ startedAt: HOUR, downSince: 3 * HOUR, endedAt: 5 * HOUR, regions: ['eu-west'] }],
    );
    assert.equal(figure.downMs, 2 * HOUR);
    assert.equal(figure.regions[0]?.downMs, 4 * HOUR);
  });

  it('counts an open incident until the end of the window', () => {
    const figure = monitorUptime(
      window,
      0,
      [],
      [{ startedAt: DAY - HOUR, downSince: DAY - HOUR, endedAt: null, regions: [] }],
    );
    assert.deepEqual([figure.downMs, figure.regions], [HOUR, []]);
  });

  it('gives the same figure on its shortcut (no incident, no pause) as the general rule', () => {
    fc.assert(
      fc.property(fc.integer({ min: -DAY, max: 2 * DAY }), (observedFrom) => {
        const { regions, ...figure } = monitorUptime(window, observedFrom, [], []);
        assert.deepEqual(regions, []);
        assert.deepEqual(figure, computeUptime({ window, observedFrom, paused: [], down: [] }));
      }),
    );
  });

  it('never gives a region more uptime than the monitor', () => {
    const span = fc.record({
      startedAt: fc.integer({ min: -DAY, max: DAY }),
      downSince: fc.option(fc.integer({ min: -DAY, max: 2 * DAY })),
      endedAt: fc.option(fc.integer({ min: -DAY, max: 2 * DAY })),
      regions: fc.subarray(['eu', 'us', 'ap']),
    });
    fc.assert(
      fc.property(
        fc.array(span, { maxLength: 5 }),
        fc.array(interval, { maxLength: 3 }),
        (incidents, paused) => {
          const figure = monitorUptime(window, 0, paused, incidents);
          for (const region of figure.regions) {
            assert.ok(region.downMs >= figure.downMs);
            assert.equal(region.observedMs, figure.observedMs);
          }
        },
      ),
    );
  });
});
