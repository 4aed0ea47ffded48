import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { reconnectDelayMs } from './reconnect-backoff.ts';

const policy = { initialMs: 500, maxMs: 30_000 };

describe('reconnectDelayMs', () => {
  it('grows exponentially up to the cap', () => {
    assert.equal(reconnectDelayMs(0, policy, 0.999_999), 500);
    assert.equal(reconnectDelayMs(3, policy, 0.999_999), 4_000);
    assert.equal(reconnectDelayMs(20, policy, 0.999_999), 30_000);
  });

  it('stays within [ceiling/2, ceiling] and never exceeds the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, random) => {
          const delay = reconnectDelayMs(attempt, policy, random);
          const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
          assert.ok(delay >= Math.floor(ceiling / 2) && delay <= ceiling);
          assert.ok(delay <= policy.maxMs);
        },
      ),
    );
  });
});
