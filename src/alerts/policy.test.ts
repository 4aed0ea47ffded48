import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  decideAlert,
  deliveryAfterAttempt,
  nextRetryDelay,
  retryDelayCap,
  type RetryPolicy,
} from './policy.ts';

const time = fc.integer({ min: 0, max: 4_000_000_000_000 });
const cooldown = fc.integer({ min: 0, max: 86_400_000 });
const unitInterval = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const backoff = fc.record({
  baseMs: fc.integer({ min: 1, max: 60_000 }),
  factor: fc.double({ min: 1, max: 10, noNaN: true }),
  maxMs: fc.integer({ min: 1, max: 3_600_000 }),
  mode: fc.constantFrom('full' as const, 'equal' as const),
});

describe('decideAlert', () => {
  it('sends the first down alert and every recovery', () => {
    assert.deepEqual(
      decideAlert({ kind: 'down', now: 5, lastDownAlertAt: null, cooldownMs: 1000 }),
      {
        send: true,
        reason: 'first-down',
      },
    );
    assert.deepEqual(
      decideAlert({ kind: 'recovered', now: 5, lastDownAlertAt: 4, cooldownMs: 1000 }),
      {
        send: true,
        reason: 'recovery',
      },
    );
  });

  it('suppresses at the window start and sends exactly at its end', () => {
    const last = 1_000_000;
    const at = (now: number) =>
      decideAlert({ kind: 'down', now, lastDownAlertAt: last, cooldownMs: 60_000 });
    assert.deepEqual(at(last), { send: false, reason: 'within-cooldown' });
    assert.deepEqual(at(last + 59_999), { send: false, reason: 'within-cooldown' });
    assert.deepEqual(at(last + 60_000), { send: true, reason: 'cooldown-elapsed' });
  });

  it('property: a down alert is suppressed exactly inside [last, last + cooldown)', () => {
    fc.assert(
      // Offsets around the window so both sides and both edges are exercised often.
      fc.property(
        time,
        cooldown,
        fc.integer({ min: -2, max: 2 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (last, cooldownMs, whole, part) => {
          const now = last + whole * cooldownMs + Math.round(part * 1000);
          const decision = decideAlert({ kind: 'down', now, lastDownAlertAt: last, cooldownMs });
          const inside = now >= last && now < last + cooldownMs;
          assert.equal(decision.send, !inside);
          assert.equal(decision.reason, inside ? 'within-cooldown' : 'cooldown-elapsed');
        },
      ),
    );
  });

  it('property: a recovery is never suppressed', () => {
    fc.assert(
      fc.property(time, fc.option(time), cooldown, (now, last, cooldownMs) => {
        const decision = decideAlert({ kind: 'recovered', now, lastDownAlertAt: last, cooldownMs });
        assert.deepEqual(decision, { send: true, reason: 'recovery' });
      }),
    );
  });
});

describe('retry backoff', () => {
  it('doubles from 1s by default and caps at 5 minutes', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 9, 10, 50].map((attempt) => retryDelayCap(attempt)),
      [1000, 2000, 4000, 8000, 256_000, 300_000, 300_000],
    );
  });

  it('full jitter spans [0, cap); equal jitter spans [cap/2, cap)', () => {
    assert.equal(nextRetryDelay(3, { mode: 'full', jitter: () => 0 }), 0);
    assert.equal(nextRetryDelay(3, { mode: 'equal', jitter: () => 0 }), 2000);
    assert.equal(nextRetryDelay(3, { mode: 'full', jitter: () => 0.5 }), 2000);
    assert.equal(nextRetryDelay(3, { mode: 'equal', jitter: () => 0.5 }), 3000);
  });

  it('clamps a jitter source that leaves [0, 1)', () => {
    assert.equal(nextRetryDelay(1, { mode: 'full', jitter: () => 7 }), 1000);
    assert.equal(nextRetryDelay(1, { mode: 'full', jitter: () => -3 }), 0);
  });

  it('property: the delay stays within [floor, cap] and the cap within maxMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        backoff,
        unitInterval,
        (attempt, options, random) => {
          const cap = retryDelayCap(attempt, options);
          const delay = nextRetryDelay(attempt, { ...options, jitter: () => random });
          assert.ok(cap <= options.maxMs);
          assert.ok(delay <= cap, `${delay} > cap ${cap}`);
          assert.ok(delay >= (options.mode === 'equal' ? Math.floor(cap / 2) : 0));
          assert.ok(Number.isInteger(delay));
        },
      ),
    );
  });

  it('property: cap and delay (same jitter draw) never decrease as attempts grow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        backoff,
        unitInterval,
        (attempt, options, random) => {
          const jitter = () => random;
          assert.ok(retryDelayCap(attempt + 1, options) >= retryDelayCap(attempt, options));
          assert.ok(
            nextRetryDelay(attempt + 1, { ...options, jitter }) >=
              nextRetryDelay(attempt, { ...options, jitter }),
          );
        },
      ),
    );
  });
});

describe('deliveryAfterAttempt', () => {
  const policy: RetryPolicy = { ...DEFAULT_BACKOFF, jitter: () => 0, maxAttempts: 3 };
  const fresh = { attempts: 0, nextAttemptAt: 100, lastError: null };
  const now = 10_000;

  it('marks a successful attempt sent', () => {
    assert.deepEqual(deliveryAfterAttempt(fresh, { ok: true }, now, policy), {
      status: 'sent',
      attempts: 1,
      nextAttemptAt: 100,
      lastError: null,
      sentAt: now,
    });
  });

  it('schedules a retryable failure by backoff', () => {
    const update = deliveryAfterAttempt(
      fresh,
      { ok: false, retryable: true, error: 'boom' },
      now,
      policy,
    );
    assert.deepEqual(update, {
      status: 'pending',
      attempts: 1,
      nextAttemptAt: now + 500,
      lastError: 'boom',
      sentAt: null,
    });
  });

  it('waits for a longer Retry-After, but never past maxMs', () => {
    const asked = deliveryAfterAttempt(
      fresh,
      { ok: false, retryable: true, error: '429', retryAfterMs: 30_000 },
      now,
      policy,
    );
    assert.equal(asked.nextAttemptAt, now + 30_000);
    const greedy = deliveryAfterAttempt(
      fresh,
      { ok: false, retryable: true, error: '429', retryAfterMs: 86_400_000 },
      now,
      policy,
    );
    assert.equal(greedy.nextAttemptAt, now + DEFAULT_BACKOFF.maxMs);
  });

  it('fails at once on a non-retryable error', () => {
    const update = deliveryAfterAttempt(
      fresh,
      { ok: false, retryable: false, error: '400' },
      now,
      policy,
    );
    assert.equal(update.status, 'failed');
    assert.equal(update.attempts, 1);
    assert.equal(update.lastError, '400');
  });

  it('gives up once maxAttempts is reached', () => {
    const third = { attempts: 2, nextAttemptAt: 100, lastError: 'x' };
    const update = deliveryAfterAttempt(
      third,
      { ok: false, retryable: true, error: '503' },
      now,
      policy,
    );
    assert.equal(update.status, 'failed');
    assert.equal(update.attempts, 3);
    assert.equal(update.lastError, '503 (gave up after 3 attempts)');
  });

  it('property: never more than maxAttempts attempts, and a pending retry is always in the future', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 20 }),
        unitInterval,
        (attempts, maxAttempts, random) => {
          const update = deliveryAfterAttempt(
            { attempts, nextAttemptAt: 0, lastError: null },
            { ok: false, retryable: true, error: 'e' },
            now,
            { ...DEFAULT_BACKOFF, jitter: () => random, maxAttempts },
          );
          if (update.status === 'pending') {
            assert.ok(update.attempts < maxAttempts);
            assert.ok(update.nextAttemptAt > now);
          } else {
            assert.equal(update.status, 'failed');
            assert.ok(update.attempts >= maxAttempts);
          }
        },
      ),
    );
  });

  it('defaults to 10 attempts', () => {
    assert.equal(DEFAULT_MAX_ATTEMPTS, 10);
  });
});
