import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { gridStepsBetween, hashId, lastRunAtOrBefore, nextRunAfter, phaseOffset } from './plan.ts';

const epochMs = fc.integer({ min: 1_500_000_000_000, max: 2_500_000_000_000 });
const intervalMs = fc.integer({ min: 1, max: 86_400_000 });
const gridArb = intervalMs.chain((interval) =>
  fc.record({ interval: fc.constant(interval), phase: fc.integer({ min: 0, max: interval - 1 }) }),
);

function onGrid(time: number, interval: number, phase: number): boolean {
  return (((time - phase) % interval) + interval) % interval === 0;
}

/** Chi-square statistic of the phases of `ids` over `buckets` equal parts of the interval. */
function chiSquare(ids: readonly string[], interval: number, buckets: number): number {
  const counts = new Array<number>(buckets).fill(0);
  for (const id of ids) {
    const bucket = Math.floor((phaseOffset(id, interval) / interval) * buckets);
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  const expected = ids.length / buckets;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describe('hashId', () => {
  it('is a stable unsigned 32-bit value', () => {
    assert.equal(hashId('monitor-1'), hashId('monitor-1'));
    assert.notEqual(hashId('monitor-1'), hashId('monitor-2'));
    fc.assert(
      fc.property(fc.string(), (id) => {
        const hash = hashId(id);
        return Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32;
      }),
    );
  });
});

describe('phaseOffset', () => {
  it('is a whole number in [0, interval)', () => {
    fc.assert(
      fc.property(fc.string(), intervalMs, (id, interval) => {
        const phase = phaseOffset(id, interval);
        return Number.isInteger(phase) && phase >= 0 && phase < interval;
      }),
    );
  });

  it('spreads 10,000 sequential ids evenly over the interval (chi-square, 19 degrees of freedom)', () => {
    // 19 dof: p = 0.001 critical value is 43.8; a uniform spread stays far below 60.
    const sequential = Array.from({ length: 10_000 }, (_, i) => `monitor-${i}`);
    const numeric = Array.from({ length: 10_000 }, (_, i) => String(i));
    const uuidLike = Array.from(
      { length: 10_000 },
      (_, i) => `0000${i.toString(16)}`.slice(-5) + '-4b1d-8c3e-9f00-7a6b5c4d3e2f',
    );
    for (const ids of [sequential, numeric, uuidLike]) {
      for (const interval of [30_000, 60_000, 10_000]) {
        const statistic = chiSquare(ids, interval, 20);
        assert.ok(statistic < 60, `chi-square ${statistic.toFixed(1)} for interval ${interval}`);
      }
    }
  });
});

describe('nextRunAfter', () => {
  it('lies in (now, now + interval] and on the grid', () => {
    fc.assert(
      fc.property(epochMs, gridArb, (now, { interval, phase }) => {
        const next = nextRunAfter(now, interval, phase);
        assert.ok(
          next > now && next <= now + interval,
          `${next} not in (${now}, ${now + interval}]`,
        );
        assert.ok(onGrid(next, interval, phase));
      }),
    );
  });

  it('is strictly after a grid point that equals now', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), gridArb, (k, { interval, phase }) => {
        const gridPoint = 1_700_000_000_000 - (1_700_000_000_000 % interval) + k * interval + phase;
        assert.equal(nextRunAfter(gridPoint, interval, phase), gridPoint + interval);
      }),
    );
  });

  it('does not drift: whenever it is computed, results share one grid', () => {
    fc.assert(
      fc.property(epochMs, epochMs, gridArb, (a, b, { interval, phase }) => {
        const difference = nextRunAfter(b, interval, phase) - nextRunAfter(a, interval, phase);
        assert.equal(Math.abs(difference % interval), 0);
      }),
    );
  });

  it('chaining planned runs with random run durations stays on the original grid (no drift)', () => {
    fc.assert(
      fc.property(
        epochMs,
        gridArb,
        fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (start, { interval, phase }, durationsInIntervals) => {
          let planned = nextRunAfter(start, interval, phase);
          for (const duration of durationsInIntervals) {
            const finishedAt = planned + Math.round(duration * interval);
            const next = nextRunAfter(finishedAt, interval, phase);
            assert.ok(onGrid(next, interval, phase));
            // Covered grid points are skipped, never queued: the next run is after the finish.
            assert.ok(next > finishedAt && next > planned);
            assert.equal(
              gridStepsBetween(planned, next, interval),
              Math.floor((finishedAt - planned) / interval) + 1,
            );
            planned = next;
          }
        },
      ),
    );
  });
});

describe('lastRunAtOrBefore', () => {
  it('is the grid point in (now − interval, now]', () => {
    fc.assert(
      fc.property(epochMs, gridArb, (now, { interval, phase }) => {
        const last = lastRunAtOrBefore(now, interval, phase);
        assert.ok(last <= now && last > now - interval);
        assert.ok(onGrid(last, interval, phase));
      }),
    );
  });
});
