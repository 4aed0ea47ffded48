import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stepFlapping } from './flapping.ts';
import type { FlapState } from './flapping.ts';

const POLICY = { flapChanges: 4, flapWindowMs: 600_000 };

describe('flapping', () => {
  it('starts on the fifth change within the window and ends when at most two remain', () => {
    let state: FlapState = { changes: [], flappingSince: null };
    const transitions: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      const step = stepFlapping(state, i * 60_000, true, POLICY);
      state = step.state;
      transitions.push(step.transition);
    }
    assert.deepEqual(transitions, [null, null, null, null, 'started']);
    assert.equal(state.flappingSince, 240_000);
    // 3 changes still inside the window: still flapping.
    assert.equal(stepFlapping(state, 710_000, false, POLICY).transition, null);
    // Only the changes at 180 and 240 s remain: it settles.
    const settled = stepFlapping(state, 720_000, false, POLICY);
    assert.equal(settled.transition, 'ended');
    assert.equal(settled.state.flappingSince, null);
  });

  it('changes spread wider than the window never flap', () => {
    let state: FlapState = { changes: [], flappingSince: null };
    for (let i = 0; i < 50; i++) {
      const step = stepFlapping(state, i * 200_000, true, POLICY);
      assert.equal(step.transition, null);
      state = step.state;
    }
  });

  it('property: flapping exactly when more than flapChanges fall in the window at its start', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300_000 }), fc.boolean()), { maxLength: 60 }),
        (steps) => {
          let state: FlapState = { changes: [], flappingSince: null };
          let now = 0;
          for (const [gap, changed] of steps) {
            now += gap;
            const step = stepFlapping(state, now, changed, POLICY);
            assert.ok(
              step.state.changes.every((at) => at > now - POLICY.flapWindowMs && at <= now),
            );
            if (step.transition === 'started')
              assert.ok(step.state.changes.length > POLICY.flapChanges);
            if (step.transition === 'ended')
              assert.ok(step.state.changes.length <= POLICY.flapChanges / 2);
            assert.equal(
              step.state.flappingSince !== null,
              state.flappingSince !== null
                ? step.transition !== 'ended'
                : step.transition === 'started',
            );
            state = step.state;
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
