import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { overviewItemSchema } from '../../src/operations/schemas/overview.ts';
import type { DayBar } from '../../src/services/overview/overview-details.ts';
import { barDayStarts, dailyBars } from '../../src/services/overview/overview-details.ts';
import { encodeDayBars } from '../../src/services/overview/day-strip.ts';
import { decodeDayStrip, DayStripError } from '../../web/src/api/day-strip.ts';

// The server encodes the overview's day bars (src/services/overview/day-strip.ts) and the
// dashboard decodes them (web/src/api/day-strip.ts): this proves the two agree, through JSON.

const DAY_MS = 86_400_000;

/** Consecutive days from a start between 2000 and 2100, each up, empty or with any figures. */
const dayBarsArb: fc.Arbitrary<DayBar[]> = fc
  .tuple(
    fc.integer({ min: Date.UTC(2000, 0, 1) / DAY_MS, max: Date.UTC(2100, 0, 1) / DAY_MS }),
    fc.array(
      fc.oneof(
        fc.constant({ uptime: 1, downtimeMs: 0 }),
        fc.constant({ uptime: null, downtimeMs: 0 }),
        fc.record({
          uptime: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
          downtimeMs: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e9, noNaN: true })),
        }),
      ),
      { maxLength: 120 },
    ),
  )
  .map(([firstDay, figures]) =>
    figures.map((figure, i) => ({
      day: new Date((firstDay + i) * DAY_MS).toISOString().slice(0, 10),
      ...figure,
    })),
  );

const overJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('day strip', () => {
  it('decodes, after JSON, to the very bars encoded', () => {
    fc.assert(
      fc.property(dayBarsArb, (bars) => {
        assert.deepStrictEqual(decodeDayStrip(overJson(encodeDayBars(bars))), bars);
      }),
      { numRuns: 500 },
    );
  });

  it('fits the schema the API documents', () => {
    fc.assert(
      fc.property(dayBarsArb, (bars) => {
        const strip = encodeDayBars(bars);
        assert.deepStrictEqual(overviewItemSchema.shape.bars.parse(strip), strip);
      }),
      { numRuns: 200 },
    );
  });

  it('spells up and empty days as one character, figures only for the rest', () => {
    const starts = barDayStarts(Date.UTC(2026, 3, 10, 12));
    const observed = (days: number) => ({ observedMs: days * DAY_MS, downMs: 0, uptime: 1 });
    // 90 figures for windows from each day start to now: the last 3 days observed, and an
    // hour down on the day before yesterday.
    const figures = starts.map((_, i) => {
      const daysBack = starts.length - i;
      if (daysBack > 3) return { ...observed(2.5), downMs: 3_600_000 };
      return daysBack === 3 ? { ...observed(2.5), downMs: 3_600_000 } : observed(daysBack - 0.5);
    });
    const bars = dailyBars(starts, figures);
    const strip = encodeDayBars(bars);
    assert.equal(strip.from, '2026-01-11');
    assert.equal(strip.days, `${'n'.repeat(87)}duu`);
    assert.deepEqual(strip.uptime, [1 - 1 / 24]);
    assert.deepEqual(strip.downtimeMs, [3_600_000]);
    assert.deepStrictEqual(decodeDayStrip(strip), bars);
  });

  it('has no days for no bars', () => {
    assert.deepEqual(encodeDayBars([]), { from: null, days: '', uptime: [], downtimeMs: [] });
    assert.deepEqual(decodeDayStrip(encodeDayBars([])), []);
  });

  it('refuses a strip it cannot read rather than drawing wrong bars', () => {
    const strip = { from: '2026-01-01', days: 'ud', uptime: [], downtimeMs: [] };
    assert.throws(() => decodeDayStrip(strip), DayStripError);
    assert.throws(() => decodeDayStrip({ ...strip, days: 'ux' }), /unknown day kind/);
    assert.throws(() => decodeDayStrip({ ...strip, from: null, days: 'u' }), /no first day/);
    assert.throws(() => decodeDayStrip({ ...strip, from: 'soon', days: 'u' }), /bad day/);
  });
});
