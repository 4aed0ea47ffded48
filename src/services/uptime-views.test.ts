import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterNode } from '../domain/node.ts';
import type { MonitorUptime } from '../domain/uptime.ts';
import { makeRound, makeVote } from '../store/contract/consensus-fixtures.ts';
import { makeMonitor, makeState } from '../store/contract/fixtures.ts';
import { lastResultOutcome, troubledMonitors } from './node-trouble.ts';
import { nodeUptime, regionUptime } from './uptime-views.ts';

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

const nodes = [node('a', 'eu'), node('b', 'eu'), node('c', 'us'), node('d', null)];

describe('per-region uptime (from incidents)', () => {
  const figure: MonitorUptime = {
    observedMs: 1000,
    downMs: 10,
    uptime: 0.99,
    regions: [{ region: 'us', observedMs: 1000, downMs: 110, uptime: 0.89 }],
  };

  it('gives named regions their own figure and every other region the monitor figure', () => {
    const monitor = makeMonitor('m1');
    assert.deepEqual(regionUptime(figure, monitor, ['gone'], nodes), [
      { region: 'eu', nodes: 2, downMs: 10, uptime: 0.99 },
      { region: 'us', nodes: 1, downMs: 110, uptime: 0.89 },
      // d has no region; "gone" reported results but is no longer known.
      { region: '(none)', nodes: 2, downMs: 10, uptime: 0.99 },
    ]);
  });

  it('lists a region a regional incident named even when no node of it runs the monitor', () => {
    const monitor = makeMonitor('m1', { nodes: { regions: ['eu'], labels: {} } });
    assert.deepEqual(
      regionUptime(figure, monitor, [], nodes).map((r) => [r.region, r.nodes]),
      [
        ['eu', 2],
        ['us', 0],
      ],
    );
  });
});

describe('per-node figures', () => {
  const counts = [
    { nodeId: 'a', total: 10, failures: 2, degraded: 1, errors: 0 },
    { nodeId: 'b', total: 10, failures: 0, degraded: 3, errors: 4 },
    { nodeId: 'gone', total: 0, failures: 0, degraded: 0, errors: 0 },
  ];

  it('names each node with its share of passing results, leaving node errors out of it', () => {
    const local = [
      makeRound('r1', 'm1', 1),
      makeRound('r2', 'm1', 2),
      // Not counted: late or set aside, or a round that was not local.
      makeRound('r3', 'm1', 3, { votes: [makeVote('a', 'fail', { late: true })] }),
      makeRound('r4', 'm1', 4, { votes: [makeVote('c', 'fail', { setAside: 'impaired' })] }),
      makeRound('r5', 'm1', 5, { verdict: 'down' }),
    ];
    assert.deepEqual(nodeUptime(counts, local, nodes, false), [
      {
        nodeId: 'a',
        name: 'a-name',
        region: 'eu',
        checks: 10,
        failures: 2,
        errors: 0,
        passing: 0.8,
        localFailures: 2,
      },
      {
        nodeId: 'b',
        name: 'b-name',
        region: 'eu',
        checks: 6,
        failures: 0,
        errors: 4,
        passing: 1,
        localFailures: 0,
      },
      {
        nodeId: 'gone',
        name: 'gone',
        region: null,
        checks: 0,
        failures: 0,
        errors: 0,
        passing: null,
        localFailures: 0,
      },
    ]);
  });

  it('counts degraded results as failures when the monitor says so', () => {
    assert.equal(nodeUptime(counts, [], nodes, true)[1]?.failures, 3);
  });
});

describe('node trouble', () => {
  it("reads the last result's outcome, a node error apart from a failure", () => {
    const monitor = makeMonitor('m1');
    const outcome = (status: string | null, degradedIsDown = false) =>
      lastResultOutcome({ degradedIsDown }, { lastResultStatus: status as never });
    assert.deepEqual(
      [outcome(null), outcome('up'), outcome('down'), outcome('error'), outcome('degraded')],
      [null, 'passed', 'failed', 'node-error', 'passed'],
    );
    assert.equal(outcome('degraded', true), 'failed');
    assert.equal(lastResultOutcome(monitor, makeState('m1')), 'passed');
  });

  it('picks monitors whose last result failed, whose last round had failing nodes, or that had a local round', () => {
    const monitors = ['ok', 'failed', 'failing', 'local', 'paused', 'none'].map((id) =>
      makeMonitor(id, { paused: id === 'paused' }),
    );
    const states = new Map([
      ['ok', makeState('ok')],
      ['failed', makeState('failed', { lastResultStatus: 'down' })],
      ['failing', makeState('failing', { failingNodes: ['a'] })],
      ['paused', makeState('paused', { lastResultStatus: 'down' })],
    ]);
    const troubled = troubledMonitors(monitors, states, [makeRound('r1', 'local', 1)]);
    assert.deepEqual(
      troubled.map((m) => m.id),
      ['failed', 'failing', 'local'],
    );
  });
});
