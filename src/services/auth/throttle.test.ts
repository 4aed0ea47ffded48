import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ThrottleEntry } from './throttle.ts';
import {
  NAME_POLICY,
  isForgotten,
  lockDurationMs,
  lockRemainingMs,
  recordFailure,
} from './throttle.ts';

const T0 = Date.UTC(2026, 0, 1);

/** Fails `count` times one second apart; returns the entry and the time of the last failure. */
function failTimes(count: number, start = T0): { entry: ThrottleEntry | undefined; at: number } {
  let entry: ThrottleEntry | undefined;
  let at = start;
  for (let i = 0; i < count; i++) {
    at = start + i * 1_000;
    entry = recordFailure(entry, at, NAME_POLICY);
  }
  return { entry, at };
}

describe('login throttle', () => {
  it('lets the free failures through without a lock, then locks 1 s, 2 s, 4 s …', () => {
    const { entry, at } = failTimes(5);
    assert.equal(lockRemainingMs(entry, at), 1_000);
    assert.equal(lockRemainingMs(failTimes(4).entry, T0 + 3_000), 0);
    assert.equal(lockRemainingMs(failTimes(6).entry, T0 + 5_000), 2_000);
    assert.equal(lockRemainingMs(failTimes(7).entry, T0 + 6_000), 4_000);
  });

  it('caps the lock at the policy maximum', () => {
    assert.equal(lockDurationMs(200, NAME_POLICY), NAME_POLICY.maxLockMs);
  });

  it('forgets a quiet key after forgetAfterMs, and starts counting from one again', () => {
    const { entry, at } = failTimes(3);
    const later = at + NAME_POLICY.forgetAfterMs;
    assert.equal(isForgotten(entry, later, NAME_POLICY), true);
    assert.equal(recordFailure(entry, later, NAME_POLICY).failures, 1);
    assert.equal(isForgotten(entry, later - 1, NAME_POLICY), false);
  });

  it('property: the lock never shrinks as failures grow and never exceeds the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), (failures) => {
        const lock = lockDurationMs(failures, NAME_POLICY);
        assert.ok(lock <= NAME_POLICY.maxLockMs);
        assert.ok(lockDurationMs(failures + 1, NAME_POLICY) >= lock);
        assert.equal(lock === 0, failures < NAME_POLICY.freeFailures);
      }),
    );
  });

  it('property: after a failure at t, the key is locked for exactly the earned lock', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 30 }),
        (gaps) => {
          let entry: ThrottleEntry | undefined;
          let now = T0;
          for (const gap of gaps) {
            now += gap;
            entry = recordFailure(entry, now, NAME_POLICY);
          }
          assert.ok(entry !== undefined);
          assert.equal(lockRemainingMs(entry, now), lockDurationMs(entry.failures, NAME_POLICY));
          assert.equal(lockRemainingMs(entry, now + NAME_POLICY.maxLockMs), 0);
        },
      ),
    );
  });
});
