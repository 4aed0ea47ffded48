import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckResult, NodeUptime } from '../../web/src/api/monitor-types.ts';
import {
  alignedData,
  latencySeries,
  summarize,
} from '../../web/src/pages/monitor/latency-series.ts';

function result(nodeId: string, checkedAt: number, latencyMs: number, status = 'up'): CheckResult {
  return {
    id: `${nodeId}-${checkedAt}`,
    monitorId: 'm1',
    nodeId,
    checkedAt,
    status: status as CheckResult['status'],
    latencyMs,
    timings: {},
    message: '',
  };
}

const nodes: NodeUptime[] = [
  { nodeId: 'a', name: 'alpha', region: 'eu', checks: 0, failures: 0, errors: 0, passing: null },
  { nodeId: 'b', name: 'beta', region: 'eu', checks: 0, failures: 0, errors: 0, passing: null },
  { nodeId: 'c', name: 'gamma', region: 'us', checks: 0, failures: 0, errors: 0, passing: null },
];

describe('latency series', () => {
  const results = [
    result('a', 3000, 30),
    result('b', 2000, 20),
    result('a', 1000, 10),
    result('c', 1000, 50),
    result('c', 2000, 999, 'error'),
  ];

  it('makes one line per node, oldest first, leaving node errors out', () => {
    const series = latencySeries(results, nodes, 'node');
    assert.deepEqual(series, [
      {
        label: 'alpha',
        points: [
          [1, 10],
          [3, 30],
        ],
      },
      { label: 'beta', points: [[2, 20]] },
      { label: 'gamma', points: [[1, 50]] },
    ]);
  });

  it('makes one line per region and names unknown nodes by id', () => {
    const series = latencySeries([...results, result('z', 4000, 5)], nodes, 'region');
    assert.deepEqual(
      series.map((s) => [s.label, s.points.length]),
      [
        ['(no region)', 1],
        ['eu', 3],
        ['us', 1],
      ],
    );
  });

  it('aligns lines on one x axis with gaps as null', () => {
    const data = alignedData(latencySeries(results, nodes, 'node'));
    assert.deepEqual(data, [
      [1, 2, 3],
      [10, null, 30],
      [null, 20, null],
      [50, null, null],
    ]);
  });

  it('summarizes min, average and p95', () => {
    const points = Array.from({ length: 20 }, (_, i) => [i, i + 1] as [number, number]);
    assert.deepEqual(
      summarize([
        { label: 'x', points },
        { label: 'empty', points: [] },
      ]),
      [{ label: 'x', count: 20, min: 1, avg: 10.5, p95: 19 }],
    );
  });
});
