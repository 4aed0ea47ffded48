import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UptimePlan } from './uptime-plan.ts';
import { planUptime, windowEnd, windowStart } from './uptime-plan.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const D = Date.UTC(2026, 0, 31);

/** Each window as what it sums: day segments (in days from D) and edge parts. */
function described(plan: UptimePlan): string[][] {
  return plan.windows.map((w) => [
    ...w.segments.map((i) => {
      const s = plan.segments[i];
      return s === undefined ? '?' : `days ${(s.from - D) / DAY}..${(s.to - D) / DAY}`;
    }),
    ...w.parts.map((i) => {
      const p = plan.parts[i];
      return p === undefined ? '?' : `day ${(p.day - D) / DAY} h${p.fromHour}-${p.toHour}`;
    }),
  ]);
}

describe('window bounds', () => {
  it('start at the first hour boundary inside the window and end after the hour of now', () => {
    const now = D + 10 * HOUR + 30 * 60_000;
    assert.equal(windowStart(now, DAY), D - DAY + 11 * HOUR);
    assert.equal(windowStart(D + 10 * HOUR, DAY), D - DAY + 10 * HOUR);
    assert.equal(windowEnd(now), D + 11 * HOUR);
    assert.equal(windowEnd(D + 10 * HOUR), D + 11 * HOUR);
  });
});

describe('planUptime', () => {
  it('reads whole days once, in disjoint segments, and the edge hours from running totals', () => {
    const end = D + 12 * HOUR;
    const plan = planUptime([end - DAY, end - 7 * DAY, end - 30 * DAY], end);
    assert.deepEqual(described(plan), [
      ['day -1 h12-24', 'day 0 h0-12'],
      ['days -6..0', 'day -7 h12-24', 'day 0 h0-12'],
      ['days -29..-6', 'days -6..0', 'day -30 h12-24', 'day 0 h0-12'],
    ]);
    assert.equal(plan.parts.length, 4, 'the shared edge of today is read once');
  });

  it('needs no edge parts when the window starts and ends at midnight', () => {
    assert.deepEqual(described(planUptime([D - 7 * DAY], D)), [['days -7..0']]);
  });

  it('covers a window inside one day with one part', () => {
    const plan = planUptime([D + 3 * HOUR], D + 5 * HOUR);
    assert.deepEqual(described(plan), [['day 0 h3-5']]);
  });

  it('splits a two-day window into its two edge days only', () => {
    const plan = planUptime([D - DAY + 23 * HOUR], D + HOUR);
    assert.deepEqual(described(plan), [['day -1 h23-24', 'day 0 h0-1']]);
  });

  it('plans nothing for an empty or inverted window', () => {
    assert.deepEqual(described(planUptime([D, D + HOUR], D)), [[], []]);
  });
});
