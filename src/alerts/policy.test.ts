import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_BACKOFF,
  DEFAULT_MAX_ATTEMPTS,
  decideFollowUp,
  decideOpeningAlert,
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

const causes = fc.constantFrom(
  'new-incident' as const,
  'escalation' as const,
  'spread' as const,
  'still-down-after-flapping' as const,
);

describe('decideOpeningAlert', () => {
  const base = { cause: 'new-incident' as const, now: 5_000, cooldownMs: 60_000 };

  it('a new incident pages, however recently another incident paged', () => {
    // The cooldown is per incident: a second outage right after the first is a new page.
    assert.deepEqual(
      decideOpeningAlert({ ...base, lastSentAt: null, flapping: false, paused: false }),
      { send: true, reason: 'new-incident' },
    );
  });

  it('flapping and pause suppress, and say which', () => {
    assert.deepEqual(
      decideOpeningAlert({ ...base, lastSentAt: null, flapping: true, paused: false }),
      { send: false, reason: 'flapping' },
    );
    assert.deepEqual(
      decideOpeningAlert({ ...base, lastSentAt: null, flapping: true, paused: true }),
      { send: false, reason: 'paused' },
    );
  });

  it('a repeat on the same incident and route waits out the cooldown', () => {
    const at = (now: number) =>
      decideOpeningAlert({
        ...base,
        cause: 'spread',
        now,
        lastSentAt: 1_000_000,
        flapping: false,
        paused: false,
      });
    assert.deepEqual(at(1_000_000), { send: false, reason: 'within-cooldown' });
    assert.deepEqual(at(1_059_999), { send: false, reason: 'within-cooldown' });
    assert.deepEqual(at(1_060_000), { send: true, reason: 'cooldown-elapsed' });
    assert.deepEqual(at(999_999), { send: true, reason: 'cooldown-elapsed' });
  });

  it('property: suppressed only by pause, flapping, or a repeat inside the cooldown', () => {
    fc.assert(
      fc.property(
        causes,
        time,
        fc.option(time, { nil: null }),
        cooldown,
        fc.boolean(),
        fc.boolean(),
        (cause, now, lastSentAt, cooldownMs, flapping, paused) => {
          const d = decideOpeningAlert({ cause, now, lastSentAt, cooldownMs, flapping, paused });
          const repeatInside =
            lastSentAt !== null && now >= lastSentAt && now - lastSentAt < cooldownMs;
          assert.equal(d.send, !paused && !flapping && !repeatInside);
          if (!d.send) {
            const expected = paused ? 'paused' : flapping ? 'flapping' : 'within-cooldown';
            assert.equal(d.reason, expected);
          } else if (lastSentAt === null) {
            assert.equal(d.reason, cause);
          }
        },
      ),
    );
  });
});

describe('decideFollowUp', () => {
  it('a closing goes out after a sent opening, waits for a pending one, and is recorded otherwise', () => {
    assert.deepEqual(decideFollowUp('sent'), { action: 'send' });
    assert.deepEqual(decideFollowUp('pending'), { action: 'wait' });
    assert.deepEqual(decideFollowUp('suppressed'), {
      action: 'suppress',
      reason: 'opening-suppressed',
    });
    assert.deepEqual(decideFollowUp('failed'), { action: 'suppress', reason: 'opening-failed' });
    assert.deepEqual(decideFollowUp(null), { action: 'suppress', reason: 'opening-missing' });
  });

  it('property: sends exactly when the opening was delivered', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'sent' as const,
          'pending' as const,
          'failed' as const,
          'suppressed' as const,
          null,
        ),
        (status) => {
          assert.equal(decideFollowUp(status).action === 'send', status === 'sent');
        },
      ),
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
