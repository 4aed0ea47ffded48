import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterNode } from '../../domain/node.ts';
import type { RollupBucket } from '../../store/types.ts';
import {
  BAR_DAYS,
  barDayStarts,
  barWindows,
  dailyBars,
  regionViews,
  sparkline,
  sparklineSince,
} from './overview-details.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 3, 10, 6);

function node(id: string, region: string | null, removedAt: number | null = null): ClusterNode {
  return {
    id,
    name: id,
    role: 'agent',
    region,
    labels: {},
    version: 'test',
    certSerial: id,
    certNotAfter: NOW,
    enrolledAt: 0,
    lastSeen: NOW,
    state: 'online',
    stateSince: 0,
    clockOffsetMs: 0,
    checksPerSecond: 0,
    outboxBacklog: 0,
    remoteAddress: null,
    removedAt,
    impairedSince: null,
  };
}

describe('daily bars', () => {
  it('cover 90 UTC days, oldest first, today last', () => {
    const starts = barDayStarts(NOW);
    assert.equal(starts.length, BAR_DAYS);
    assert.equal(starts.at(-1), Date.UTC(2026, 3, 10));
    assert.equal(starts[0], Date.UTC(2026, 3, 10) - 89 * DAY);
    assert.deepEqual(barWindows(NOW, starts.slice(-2)), [30 * HOUR, 6 * HOUR]);
  });

  it('take each day as the difference of the windows starting at it and the next day', () => {
    const starts = [NOW - 30 * HOUR, NOW - 6 * HOUR];
    // Window from yesterday: 30 h observed, 8 h down; from today: 6 h observed, 2 h down.
    const bars = dailyBars(starts, [
      { observedMs: 30 * HOUR, downMs: 8 * HOUR, uptime: null },
      { observedMs: 6 * HOUR, downMs: 2 * HOUR, uptime: null },
    ]);
    assert.deepEqual(bars, [
      { day: '2026-04-09', uptime: 0.75, downtimeMs: 6 * HOUR },
      { day: '2026-04-10', uptime: 1 - 2 / 6, downtimeMs: 2 * HOUR },
    ]);
  });

  it('say null for a day nothing was observed (before creation or paused)', () => {
    const starts = [NOW - 30 * HOUR, NOW - 6 * HOUR];
    const bars = dailyBars(starts, [
      { observedMs: 6 * HOUR, downMs: 0, uptime: 1 },
      { observedMs: 6 * HOUR, downMs: 0, uptime: 1 },
    ]);
    assert.deepEqual(
      bars.map((b) => b.uptime),
      [null, 1],
    );
  });
});

describe('sparkline', () => {
  it('keeps hours with results, oldest first, at their median latency', () => {
    const bucket = (at: number, count: number, p50: number | null): RollupBucket => ({
      monitorId: 'm',
      bucketStart: at,
      count,
      failures: 0,
      degraded: 0,
      latencyP50: p50,
      latencyP95: p50,
      latencyMax: p50,
    });
    const since = sparklineSince(NOW);
    assert.equal(since, NOW - 23 * HOUR);
    assert.deepEqual(sparkline([bucket(since, 3, 40), bucket(since + HOUR, 0, null)]), [
      { at: since, latencyMs: 40 },
    ]);
  });
});

describe('region views', () => {
  const nodes = [
    node('a', 'eu'),
    node('b', 'eu'),
    node('c', 'us'),
    node('d', null),
    node('gone', 'us', NOW - DAY),
  ];
  const monitor = { nodes: { regions: [], labels: {} }, intervalMs: 60_000 };
  const latest = (nodeId: string, status: 'up' | 'down' | 'error', age = 0) => ({
    monitorId: 'm',
    nodeId,
    status,
    checkedAt: NOW - age,
  });

  it("count each running node's newest fresh result per region; errors count for neither", () => {
    const views = regionViews(
      monitor,
      nodes,
      [latest('a', 'down'), latest('b', 'up'), latest('c', 'error'), latest('gone', 'down')],
      NOW,
    );
    assert.deepEqual(views, [
      { region: 'eu', state: 'up', up: 1, down: 1, total: 2 },
      { region: 'us', state: 'unknown', up: 0, down: 0, total: 1 },
      { region: '(none)', state: 'unknown', up: 0, down: 0, total: 1 },
    ]);
  });

  it('say down when more nodes of a region see it down, and ignore stale results', () => {
    const views = regionViews(
      { ...monitor, nodes: { regions: ['eu'], labels: {} } },
      nodes,
      [latest('a', 'down'), latest('b', 'up', 4 * 60_000)],
      NOW,
    );
    assert.deepEqual(views, [{ region: 'eu', state: 'down', up: 0, down: 1, total: 2 }]);
  });
});
