import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterNode } from '../domain/node.ts';
import { failingView } from './consensus-views.ts';

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
