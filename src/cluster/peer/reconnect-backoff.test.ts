import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_BACKOFF, reconnectCapMs, reconnectDelayMs } from './reconnect-backoff.ts';

const policy = { initialMs: 500, maxMs: 30_000 };

describe('reconnectDelayMs', () => {
  it('grows exponentially up to the cap', () => {
    assert.equal(reconnectDelayMs(0, policy, 0.999_999), 500);
    assert.equal(reconnectDelayMs(3, policy, 0.999_999), 4_000);
    assert.equal(reconnectDelayMs(20, policy, 0.999_999), 30_000);
    assert.equal(reconnectDelayMs(20, policy, 0.999_999, 5_000), 5_000);
    assert.equal(reconnectDelayMs(20, policy, 0, 5_000), 2_500);
  });

  it('stays within [ceiling/2, ceiling] and never exceeds the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 100, max: 60_000 }),
        (attempt, random, capMs) => {
          const delay = reconnectDelayMs(attempt, policy, random, capMs);
          const ceiling = Math.min(
            capMs,
            policy.maxMs,
            policy.initialMs * 2 ** Math.min(attempt, 30),
          );
          assert.ok(delay >= Math.floor(ceiling / 2) && delay <= ceiling);
          assert.ok(delay <= policy.maxMs && delay <= capMs);
        },
      ),
    );
  });
});

describe('reconnectCapMs', () => {
  it('is one heartbeat, at most a third of the grace period, at most the policy maximum', () => {
    // The product defaults: 5 s heartbeats, missing after 6 (30 s).
    assert.equal(reconnectCapMs(DEFAULT_BACKOFF, { heartbeatMs: 5_000, graceCount: 6 }), 5_000);
    assert.equal(reconnectCapMs(DEFAULT_BACKOFF, { heartbeatMs: 1_000, graceCount: 5 }), 1_000);
    assert.equal(reconnectCapMs(DEFAULT_BACKOFF, { heartbeatMs: 6_000, graceCount: 2 }), 4_000);
    // No grace known (an older coordinator's welcome): one heartbeat.
    assert.equal(reconnectCapMs(DEFAULT_BACKOFF, { heartbeatMs: 5_000 }), 5_000);
    assert.equal(reconnectCapMs({ initialMs: 500, maxMs: 2_000 }, { heartbeatMs: 5_000 }), 2_000);
  });

  it('property: once the coordinator listens again, the agent retries well inside the grace period', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 60_000 }),
        fc.integer({ min: 2, max: 50 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (heartbeatMs, graceCount, draws, listenShare) => {
          const graceMs = heartbeatMs * graceCount;
          const cap = reconnectCapMs(DEFAULT_BACKOFF, { heartbeatMs, graceCount });
          // The attempts an agent makes after its channel dropped at 0, however long it has
          // been trying (the backoff grows meanwhile).
          const attemptsAt: number[] = [];
          let at = 0;
          for (const [attempt, random] of draws.entries()) {
            at += reconnectDelayMs(attempt, DEFAULT_BACKOFF, random, cap);
            attemptsAt.push(at);
          }
          // The coordinator listens again at any moment before the last attempt.
          const listenAt = Math.floor(listenShare * (attemptsAt.at(-1) ?? 0));
          const next = attemptsAt.find((t) => t >= listenAt) ?? listenAt;
          assert.ok(next - listenAt <= cap, `retried ${next - listenAt} ms after listen`);
          assert.ok(cap <= heartbeatMs && cap * 3 <= graceMs);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
