import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterNode } from '../domain/node.ts';
import { failingView, regionUptime } from './consensus-views.ts';

function node(id: string, region: string | null, extra: Partial<ClusterNode> = {}): ClusterNode {
  return {
    id,
    name: `${id}-name`,
    role: 'agent',
    region,
    labels: {},
    version: 'test',
    certSerial: 's',
    certNotAfter: 0,
    enrolledAt: 0,
    lastSeen: null,
    state: 'online',
    stateSince: 0,
    clockOffsetMs: null,
    checksPerSecond: null,
    outboxBacklog: null,
    remoteAddress: null,
    removedAt: null,
    impairedSince: null,
    ...extra,
  };
}

describe('per-region uptime', () => {
  const nodes = [node('a', 'eu'), node('b', 'eu'), node('c', 'us'), node('d', null)];
  const counts = [
    { nodeId: 'a', total: 10, failures: 2, degraded: 1 },
    { nodeId: 'b', total: 10, failures: 0, degraded: 3 },
    { nodeId: 'c', total: 4, failures: 4, degraded: 0 },
    { nodeId: 'd', total: 2, failures: 0, degraded: 0 },
    { nodeId: 'gone', total: 2, failures: 1, degraded: 0 },
  ];

  it('sums nodes, checks and failures per region; unknown and region-less nodes under (none)', () => {
    assert.deepEqual(regionUptime(counts, nodes, false), [
      { region: 'eu', nodes: 2, checks: 20, failures: 2, uptime: 0.9 },
      { region: 'us', nodes: 1, checks: 4, failures: 4, uptime: 0 },
      { region: '(none)', nodes: 2, checks: 4, failures: 1, uptime: 0.75 },
    ]);
  });

  it('counts degraded results as failures when the monitor says so', () => {
    assert.equal(regionUptime(counts, nodes, true)[0]?.failures, 6);
  });

  it('has no uptime without checks', () => {
    assert.deepEqual(
      regionUptime([{ nodeId: 'a', total: 0, failures: 0, degraded: 0 }], nodes, false),
      [{ region: 'eu', nodes: 1, checks: 0, failures: 0, uptime: null }],
    );
  });
});

describe('failing view', () => {
  const nodes = [
    node('a', 'eu'),
    node('b', 'eu'),
    node('c', 'us'),
    node('old', 'us', { removedAt: 5 }),
  ];
  const selector = { nodes: { regions: [], labels: {} } };

  it('names the failing nodes out of the nodes that run the monitor', () => {
    assert.deepEqual(
      failingView(selector, { status: 'up', failingNodes: ['a', 'x'], failingRegions: [] }, nodes),
      {
        regions: [],
        nodes: [
          { id: 'a', name: 'a-name', region: 'eu' },
          { id: 'x', name: 'x', region: null },
        ],
        of: 3,
      },
    );
    const euOnly = { nodes: { regions: ['eu'], labels: {} } };
    assert.equal(
      failingView(
        euOnly,
        { status: 'regional', failingNodes: ['a', 'b'], failingRegions: ['eu'] },
        nodes,
      )?.of,
      2,
    );
  });

  it('is absent when nothing fails or the monitor is down (the incident says it all)', () => {
    assert.equal(
      failingView(selector, { status: 'up', failingNodes: [], failingRegions: [] }, nodes),
      null,
    );
    assert.equal(
      failingView(selector, { status: 'down', failingNodes: ['a'], failingRegions: [] }, nodes),
      null,
    );
  });
});
