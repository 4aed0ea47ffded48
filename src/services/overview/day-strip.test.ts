import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeMonitor } from '../../store/contract/fixtures.ts';
import { compactOverviewPage, encodeDayBars } from './day-strip.ts';
import { barDayStarts, dailyBars } from './overview-details.ts';
import type { OverviewItem, OverviewPage } from './overview-service.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 3, 10, 12, 30);
const ROWS = 50;

/**
 * A dashboard row as a busy monitor has it: 90 observed days, every ninth with some downtime
 * (odd minutes, so its uptime is a long decimal), 24 hourly sparkline points, three regions.
 */
function busyRow(index: number): OverviewItem {
  const monitor = makeMonitor(`m-${String(index).padStart(5, '0')}`, {
    name: `Service ${index}`,
  });
  const starts = barDayStarts(NOW);
  const dayDownMs = starts.map((_, day) =>
    day % 9 === index % 9 ? (7 + index + day) * 61_000 : 0,
  );
  // Figures of the windows from each day start to now (see barWindows): downtime adds up.
  const figures = starts.map((start, day) => ({
    observedMs: NOW - start,
    downMs: dayDownMs.slice(day).reduce((sum, ms) => sum + ms, 0),
    uptime: null,
  }));
  return {
    id: monitor.id,
    name: monitor.name,
    type: monitor.type,
    target: monitor.target,
    group: 'shop',
    tags: ['prod', 'eu'],
    paused: false,
    state: 'up',
    stateSince: NOW - 30 * HOUR,
    verdict: 'up',
    openIncidentId: null,
    lastCheckAt: NOW - 12_345,
    latencyMs: 123.456,
    uptime24h: 0.9987654321,
    bars: dailyBars(starts, figures),
    sparkline: Array.from({ length: 24 }, (_, h) => ({
      at: NOW - (24 - h) * HOUR,
      latencyMs: 100 + ((index * 31 + h * 17) % 97) + 0.5,
    })),
    regions: ['ap-south', 'eu-west', 'us-east'].map((region) => ({
      region,
      state: 'up',
      up: 2,
      down: 0,
      total: 2,
    })),
  };
}

/** A row of a monitor with no history yet (most of the bench's 10,000): 90 days without data. */
function quietRow(index: number): OverviewItem {
  const row = busyRow(index);
  return { ...row, bars: dailyBars(barDayStarts(NOW), []), sparkline: [], uptime24h: null };
}

function pageOf(items: OverviewItem[]): OverviewPage {
  return {
    total: 10_000,
    offset: 0,
    counts: {
      pending: 0,
      up: 0,
      degraded: 0,
      down: 0,
      regional: 0,
      unknown: 0,
      flapping: 0,
      paused: 0,
    },
    groups: ['shop'],
    tags: ['eu', 'prod'],
    regions: ['ap-south', 'eu-west', 'us-east'],
    items,
  };
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

describe('the compact overview page', () => {
  const busy = pageOf(Array.from({ length: ROWS }, (_, i) => busyRow(i)));
  const quiet = pageOf(Array.from({ length: ROWS }, (_, i) => quietRow(i)));

  it('is a fraction of the bars as objects for 50 rows', (t) => {
    for (const [name, page] of [
      ['busy', busy],
      ['quiet', quiet],
    ] as const) {
      const before = JSON.stringify(page).length;
      const after = JSON.stringify(compactOverviewPage(page)).length;
      t.diagnostic(
        `50 ${name} rows as JSON: bars as objects ${kib(before)}, as strips ${kib(after)}`,
      );
      assert.ok(after < before / 3, `${name}: ${after} of ${before} bytes`);
    }
    assert.ok(busy.items.every((item) => item.bars.filter((b) => b.downtimeMs > 0).length >= 9));
    assert.ok(JSON.stringify(compactOverviewPage(quiet)).length < 40 * 1024);
  });

  it('changes nothing but the bars', () => {
    const compact = compactOverviewPage(busy);
    assert.deepEqual(
      compact.items.map(({ bars: _bars, ...rest }) => rest),
      busy.items.map(({ bars: _bars, ...rest }) => rest),
    );
    assert.deepEqual(
      compact.items.map((item) => item.bars),
      busy.items.map((item) => encodeDayBars(item.bars)),
    );
    assert.deepEqual({ ...compact, items: [] }, { ...busy, items: [] });
  });
});
