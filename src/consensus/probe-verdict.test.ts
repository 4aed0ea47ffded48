import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ProbeNodeOutcome, ProbeOutcome } from './probe-verdict.ts';
import { probeVerdict } from './probe-verdict.ts';

function node(nodeName: string, region: string | null, outcome: ProbeOutcome): ProbeNodeOutcome {
  return { nodeName, region, outcome };
}

/** Up to 9 nodes with unique names, in up to 4 regions (or none), each with an outcome. */
const nodesArb = fc
  .array(
    fc.record({
      region: fc.constantFrom<string | null>('eu-west', 'us-east', 'ap-south', 'sa-east', null),
      outcome: fc.constantFrom<ProbeOutcome>('fail', 'ok', 'error', 'no-answer'),
    }),
    { maxLength: 9 },
  )
  .map((list) => list.map((n, i) => node(`node-${i}`, n.region, n.outcome)));

/** Nodes plus the same nodes in another order. */
const withShuffle = nodesArb.chain((nodes) =>
  fc.tuple(
    fc.constant(nodes),
    fc.shuffledSubarray(nodes, { minLength: nodes.length, maxLength: nodes.length }),
  ),
);

describe('probe verdict examples', () => {
  it('reads each documented line', () => {
    assert.deepEqual(probeVerdict([node('a', 'eu-west', 'fail'), node('b', null, 'fail')]), {
      kind: 'down-everywhere',
      regions: [],
      line: 'down for everyone',
    });
    assert.deepEqual(
      probeVerdict([
        node('a', 'eu-west', 'fail'),
        node('b', 'eu-west', 'fail'),
        node('c', 'us-east', 'ok'),
        node('d', 'us-east', 'no-answer'),
      ]),
      { kind: 'regional', regions: ['eu-west'], line: 'down from eu-west only' },
    );
    assert.equal(
      probeVerdict([
        node('a', 'us-east', 'fail'),
        node('b', 'eu-west', 'fail'),
        node('c', 'ap-south', 'ok'),
      ]).line,
      'down from eu-west and us-east only',
    );
    assert.deepEqual(
      probeVerdict([
        node('node-a', 'eu-west', 'fail'),
        node('node-b', 'eu-west', 'ok'),
        node('node-c', 'us-east', 'ok'),
        node('node-d', 'us-east', 'ok'),
      ]),
      { kind: 'partial', regions: [], line: 'down from node-a only (1 of 4 nodes)' },
    );
    assert.equal(
      probeVerdict([
        node('a', 'eu-west', 'fail'),
        node('b', 'eu-west', 'ok'),
        node('c', 'us-east', 'fail'),
        node('d', 'us-east', 'ok'),
        node('e', null, 'ok'),
      ]).line,
      'down from 2 of 5 nodes',
    );
    assert.equal(probeVerdict([node('a', 'eu-west', 'ok')]).line, 'up everywhere');
    assert.deepEqual(probeVerdict([node('a', 'eu-west', 'no-answer')]), {
      kind: 'no-answer',
      regions: [],
      line: 'no node answered',
    });
    assert.equal(probeVerdict([]).kind, 'no-answer');
  });

  it('a node that could not check is named as such, never as down', () => {
    assert.deepEqual(probeVerdict([node('a', 'eu-west', 'error'), node('b', 'us-east', 'ok')]), {
      kind: 'up-everywhere',
      regions: [],
      line: 'up everywhere; a could not check (a fault of that node)',
    });
    assert.deepEqual(
      probeVerdict([
        node('c', 'eu-west', 'error'),
        node('a', 'eu-west', 'error'),
        node('b', 'us-east', 'fail'),
      ]),
      {
        kind: 'down-everywhere',
        regions: [],
        line: 'down for everyone; a and c could not check (a fault of those nodes)',
      },
    );
    assert.deepEqual(probeVerdict([node('a', null, 'error')]), {
      kind: 'no-answer',
      regions: [],
      line: 'no node could check; a could not check (a fault of that node)',
    });
  });

  it('does not call one failing node a region, nor a region without a healthy one', () => {
    // A single-node region failing is that node's network as far as anyone can tell.
    assert.equal(
      probeVerdict([node('a', 'eu-west', 'fail'), node('b', 'us-east', 'ok')]).kind,
      'partial',
    );
    // Every named region fails; only a region-less node sees it up.
    assert.equal(
      probeVerdict([
        node('a', 'eu-west', 'fail'),
        node('b', 'eu-west', 'fail'),
        node('c', null, 'ok'),
      ]).kind,
      'partial',
    );
    // A failing node without a region keeps the failures from being regional.
    assert.equal(
      probeVerdict([
        node('a', 'eu-west', 'fail'),
        node('b', null, 'fail'),
        node('c', 'us-east', 'ok'),
      ]).kind,
      'partial',
    );
  });
});

describe('probe verdict properties', () => {
  it('classifies by the answering nodes alone', () => {
    fc.assert(
      fc.property(nodesArb, (nodes) => {
        const verdict = probeVerdict(nodes);
        const answered = nodes.filter((n) => n.outcome === 'fail' || n.outcome === 'ok');
        const failing = answered.filter((n) => n.outcome === 'fail');
        if (answered.length === 0) assert.equal(verdict.kind, 'no-answer');
        else if (failing.length === 0) assert.equal(verdict.kind, 'up-everywhere');
        else if (failing.length === answered.length) assert.equal(verdict.kind, 'down-everywhere');
        else assert.ok(verdict.kind === 'regional' || verdict.kind === 'partial', verdict.kind);
        const counted = probeVerdict(answered);
        assert.equal(verdict.kind, counted.kind, 'no-answers and node errors never change it');
        assert.deepEqual(verdict.regions, counted.regions);
        if (answered.length > 0) assert.ok(verdict.line.startsWith(counted.line), verdict.line);
        for (const n of nodes.filter((m) => m.outcome === 'error')) {
          assert.ok(verdict.line.includes(n.nodeName), 'names each node that could not check');
          assert.ok(!verdict.line.includes(`down from ${n.nodeName}`));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('names regions only when failures fill them and another region is up', () => {
    fc.assert(
      fc.property(nodesArb, (nodes) => {
        const verdict = probeVerdict(nodes);
        const answered = nodes.filter((n) => n.outcome === 'fail' || n.outcome === 'ok');
        if (verdict.kind !== 'regional') {
          assert.deepEqual(verdict.regions, []);
          return;
        }
        assert.deepEqual(verdict.regions, [...verdict.regions].sort());
        const named = new Set(verdict.regions);
        for (const n of answered) {
          const inNamed = n.region !== null && named.has(n.region);
          assert.equal(n.outcome === 'fail', inNamed, `${n.nodeName} ${n.region ?? '-'}`);
        }
        assert.ok(answered.filter((n) => n.outcome === 'fail').length >= 2);
        const upRegion = answered.some(
          (n) =>
            n.region !== null &&
            !named.has(n.region) &&
            answered.filter((m) => m.region === n.region).every((m) => m.outcome === 'ok'),
        );
        assert.ok(upRegion, 'another region sees the target up');
        for (const region of verdict.regions) assert.ok(verdict.line.includes(region));
      }),
      { numRuns: 2_000 },
    );
  });

  it('counts the failing and answering nodes in a partial line, and ignores input order', () => {
    fc.assert(
      fc.property(withShuffle, ([nodes, shuffled]) => {
        const verdict = probeVerdict(nodes);
        assert.deepEqual(probeVerdict(shuffled), verdict);
        if (verdict.kind !== 'partial') return;
        const answered = nodes.filter((n) => n.outcome === 'fail' || n.outcome === 'ok').length;
        const failing = nodes.filter((n) => n.outcome === 'fail');
        const expected =
          failing.length === 1
            ? `(1 of ${answered} nodes)`
            : `${failing.length} of ${answered} nodes`;
        assert.ok(verdict.line.includes(expected), verdict.line);
      }),
      { numRuns: 2_000 },
    );
  });
});
