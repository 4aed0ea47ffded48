import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ConsensusRound, Verdict, Vote } from '../domain/consensus.ts';
import type { ImpairmentEvent, ImpairmentState } from './impairment.ts';
import { emptyImpairment, stepImpairment } from './impairment.ts';

const POLICY = { impairedAfter: 3 };

function vote(nodeId: string, outcome: Vote['outcome']): Vote {
  return {
    nodeId,
    nodeName: nodeId,
    region: null,
    outcome,
    status: null,
    latencyMs: null,
    errorKind: null,
    message: '',
    timings: {},
    checkedAt: null,
    answeredAt: null,
    late: false,
    setAside: null,
  };
}

function round(monitorId: string, verdict: Verdict, votes: Vote[]): ImpairmentEvent {
  const record: ConsensusRound = {
    id: `rnd_${monitorId}`,
    monitorId,
    incidentId: null,
    purpose: 'confirm',
    triggeredBy: 'x',
    openedAt: 0,
    deadlineAt: 0,
    decidedAt: 0,
    verdict,
    regions: [],
    votes,
  };
  return { type: 'round', round: record };
}

function run(events: ImpairmentEvent[], start = emptyImpairment()) {
  let state = start;
  const transitions: string[] = [];
  for (const event of events) {
    const step = stepImpairment(state, event, POLICY, 1_000);
    state = step.state;
    transitions.push(
      ...step.transitions.map((t) => `${t.nodeId}:${t.impaired ? 'impaired' : 'healthy'}`),
    );
  }
  return { state, transitions };
}

describe('node impairment', () => {
  it('failing alone on three monitors impairs a node once; recoveries make it healthy again', () => {
    const alone = (m: string) =>
      round(m, 'local', [vote('x', 'fail'), vote('y', 'ok'), vote('z', 'ok')]);
    const { state, transitions } = run([alone('m1'), alone('m2'), alone('m3'), alone('m4')]);
    assert.deepEqual(transitions, ['x:impaired']);
    assert.ok(state.impaired.x !== undefined);
    const after = run(
      [
        { type: 'recovered', nodeId: 'x', monitorId: 'm1' },
        { type: 'recovered', nodeId: 'x', monitorId: 'm2' },
        { type: 'recovered', nodeId: 'x', monitorId: 'm3' },
      ],
      state,
    );
    // 4 → 3 → 2 → 1 disagreements: healthy once fewer than half the threshold remain.
    assert.deepEqual(after.transitions, ['x:healthy']);
  });

  it("a node's own record contradicting it on three monitors impairs it at once, without rounds", () => {
    const seen = run([{ type: 'contradicted', nodeId: 'x', monitorIds: ['m1', 'm2', 'm3'] }]);
    assert.deepEqual(seen.transitions, ['x:impaired']);
    const two = run([{ type: 'contradicted', nodeId: 'x', monitorIds: ['m1', 'm2'] }]);
    assert.deepEqual(two.transitions, [], 'fewer than the threshold is not impairment');
    const healed = run(
      ['m1', 'm2', 'm3'].map(
        (monitorId) => ({ type: 'recovered', nodeId: 'x', monitorId }) as const,
      ),
      seen.state,
    );
    assert.deepEqual(healed.transitions, ['x:healthy']);
  });

  it('failures the cluster confirms are agreement, not impairment', () => {
    const confirmed = (m: string) => round(m, 'down', [vote('x', 'fail'), vote('y', 'fail')]);
    assert.deepEqual(run([confirmed('m1'), confirmed('m2'), confirmed('m3')]).transitions, []);
  });

  it('after a restart a persisted impaired node stays impaired until it agrees', () => {
    const start = emptyImpairment({ x: 5 });
    const alone = round('m1', 'up', [vote('x', 'fail'), vote('y', 'ok')]);
    assert.deepEqual(run([alone], start).transitions, []);
    const agrees = round('m2', 'up', [vote('x', 'ok'), vote('y', 'ok')]);
    assert.deepEqual(run([agrees], start).transitions, ['x:healthy']);
  });

  it('forgetting a node or monitor drops its disagreements', () => {
    const alone = (m: string) => round(m, 'local', [vote('x', 'fail'), vote('y', 'ok')]);
    const { state } = run([alone('m1'), alone('m2'), alone('m3')]);
    const forgotten = run([{ type: 'forget-node', nodeId: 'x' }], state);
    assert.deepEqual(forgotten.state, { disagreements: {}, impaired: {} });
    assert.deepEqual(forgotten.transitions, []);
  });

  it('property: transitions alternate per node and match the disagreement count', () => {
    const event = fc.oneof(
      fc
        .record({
          monitor: fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5'),
          verdict: fc.constantFrom<Verdict>('down', 'regional', 'local', 'up', 'unknown'),
          votes: fc.array(
            fc.tuple(
              fc.constantFrom('a', 'b', 'c'),
              fc.constantFrom<Vote['outcome']>('fail', 'ok', 'abstain', 'no-answer'),
            ),
            {
              maxLength: 3,
            },
          ),
        })
        .map((r) =>
          round(
            r.monitor,
            r.verdict,
            r.votes.map(([n, o]) => vote(n, o)),
          ),
        ),
      fc
        .record({
          nodeId: fc.constantFrom('a', 'b', 'c'),
          monitorId: fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5'),
        })
        .map((r): ImpairmentEvent => ({ type: 'recovered', ...r })),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        let state: ImpairmentState = emptyImpairment();
        const last = new Map<string, boolean>();
        for (const e of events) {
          const step = stepImpairment(state, e, POLICY, 0);
          for (const t of step.transitions) {
            assert.notEqual(last.get(t.nodeId) ?? false, t.impaired, 'transitions alternate');
            last.set(t.nodeId, t.impaired);
            if (t.impaired) assert.ok(t.monitors.length >= POLICY.impairedAfter);
            else assert.ok(t.monitors.length * 2 < POLICY.impairedAfter);
          }
          state = step.state;
          for (const nodeId of Object.keys(state.impaired)) assert.equal(last.get(nodeId), true);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
