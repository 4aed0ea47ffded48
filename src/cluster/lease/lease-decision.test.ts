import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AppError } from '../../lib/errors.ts';
import { decideLease, isActing, isTakeable, yieldAfterLoss } from './lease-decision.ts';
import type { LeaseInputs } from './lease-decision.ts';
import { DEFAULT_LEASE_TIMINGS, parseLeaseTimings } from './lease-settings.ts';

const TIMINGS = { ttlMs: 1_500, renewEveryMs: 300, marginMs: 300 };

/** A holder of epoch 4 that renewed at t = 10,000 and looks at the row it wrote. */
function holder(overrides: Partial<LeaseInputs> = {}): LeaseInputs {
  return {
    self: 'a',
    row: { holder: 'a', epoch: 4, expiresAt: 11_500 },
    holdsLock: true,
    heldEpoch: 4,
    lastRenewalAt: 10_000,
    now: 10_300,
    timings: TIMINGS,
    ...overrides,
  };
}

/** A coordinator that holds nothing and sees `a` holding epoch 4 until 11,500. */
function candidate(overrides: Partial<LeaseInputs> = {}): LeaseInputs {
  return {
    self: 'b',
    row: { holder: 'a', epoch: 4, expiresAt: 11_500 },
    holdsLock: false,
    heldEpoch: null,
    lastRenewalAt: null,
    now: 10_300,
    timings: TIMINGS,
    ...overrides,
  };
}

describe('decideLease', () => {
  const cases: [string, LeaseInputs, ReturnType<typeof decideLease>][] = [
    ['a fresh holder renews', holder(), { kind: 'renew' }],
    ['a holder still renews just inside ttl − margin', holder({ now: 11_199 }), { kind: 'renew' }],
    [
      'a holder whose renewal is ttl − margin old steps down',
      holder({ now: 11_200 }),
      { kind: 'step-down', reason: 'renewal-overdue' },
    ],
    [
      'a holder that lost its connection (and lock) steps down at once',
      holder({ holdsLock: false }),
      { kind: 'step-down', reason: 'connection-lost' },
    ],
    [
      'a holder that sees another holder steps down',
      holder({ row: { holder: 'b', epoch: 5, expiresAt: 12_000 } }),
      { kind: 'step-down', reason: 'taken-over' },
    ],
    [
      'a holder that sees a newer epoch under its own name steps down',
      holder({ row: { holder: 'a', epoch: 5, expiresAt: 12_000 } }),
      { kind: 'step-down', reason: 'taken-over' },
    ],
    [
      'a holder that cannot read the row keeps renewing until the clock says stop',
      holder({ row: null }),
      { kind: 'renew' },
    ],
    [
      'an unreadable row does not extend a holder past ttl − margin',
      holder({ row: null, now: 11_300 }),
      { kind: 'step-down', reason: 'renewal-overdue' },
    ],
    ['a candidate stands by while the lease is held', candidate(), { kind: 'standby' }],
    [
      'a candidate stands by until the very expiry',
      candidate({ now: 11_499 }),
      { kind: 'standby' },
    ],
    ['a candidate acquires at expiry', candidate({ now: 11_500 }), { kind: 'acquire' }],
    [
      'a candidate acquires a released lease at once',
      candidate({ row: { holder: null, epoch: 4, expiresAt: 0 } }),
      { kind: 'acquire' },
    ],
    [
      'a restarted holder (same id, no epoch held) waits for its old lease to expire',
      candidate({ self: 'a' }),
      { kind: 'standby' },
    ],
    [
      'a candidate that cannot read the row stands by',
      candidate({ row: null }),
      { kind: 'standby' },
    ],
    [
      'a coordinator that just lost the lease lets the others try first',
      candidate({ now: 11_500, yieldUntil: 11_800 }),
      { kind: 'standby' },
    ],
    [
      'and takes it once its deference is over',
      candidate({ now: 11_800, yieldUntil: 11_800 }),
      { kind: 'acquire' },
    ],
  ];
  for (const [name, inputs, expected] of cases) {
    it(name, () => assert.deepEqual(decideLease(inputs), expected));
  }

  it('property: a holder renews exactly while it is acting, and a non-holder never renews', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000 }),
        fc.boolean(),
        fc.boolean(),
        (elapsed, holding, lock) => {
          const inputs = holding
            ? holder({ now: 10_000 + elapsed, holdsLock: lock })
            : candidate({ now: 10_000 + elapsed, holdsLock: lock });
          const decision = decideLease(inputs);
          if (!holding) assert.ok(decision.kind === 'acquire' || decision.kind === 'standby');
          else
            assert.equal(
              decision.kind === 'renew',
              lock && isActing(inputs.lastRenewalAt, inputs.now, TIMINGS),
            );
        },
      ),
    );
  });
});

describe('isActing and isTakeable', () => {
  it('a holder acts for ttl − margin after its renewal, never without one', () => {
    assert.equal(isActing(1_000, 2_199, TIMINGS), true);
    assert.equal(isActing(1_000, 2_200, TIMINGS), false);
    assert.equal(isActing(null, 1_000, TIMINGS), false);
  });

  it('a loser defers past the expiry of the lease it lost by one renew period', () => {
    // Its last renewal was before the loss, so the row expired by lostAt + ttl at the latest.
    assert.equal(yieldAfterLoss(10_000, TIMINGS), 10_000 + 1_500 + 300);
  });

  it('a lease is takeable when free or expired', () => {
    assert.equal(isTakeable({ holder: null, epoch: 9, expiresAt: 99_999 }, 0), true);
    assert.equal(isTakeable({ holder: 'a', epoch: 9, expiresAt: 100 }, 99), false);
    assert.equal(isTakeable({ holder: 'a', epoch: 9, expiresAt: 100 }, 100), true);
  });
});

describe('lease timings', () => {
  it('accepts the defaults and the test timings', () => {
    assert.deepEqual(parseLeaseTimings(DEFAULT_LEASE_TIMINGS), DEFAULT_LEASE_TIMINGS);
    assert.deepEqual(parseLeaseTimings(TIMINGS), TIMINGS);
  });

  it('names each bad field', () => {
    const failure = (input: unknown) => {
      try {
        parseLeaseTimings(input);
      } catch (error) {
        return error as AppError;
      }
      assert.fail('expected a validation error');
    };
    const bad = failure({ ttlMs: 0, renewEveryMs: 1.5, marginMs: 'x' });
    assert.equal(bad.code, 'VALIDATION');
    assert.deepEqual(
      bad.issues.map((issue) => issue.path),
      ['ttlMs', 'renewEveryMs', 'marginMs'],
    );
    assert.match(bad.message, /ttlMs: must be above 0/);
    const margin = failure({ ttlMs: 1_000, renewEveryMs: 100, marginMs: 1_000 });
    assert.equal(margin.message, 'marginMs: must be below ttlMs (1000)');
    const renew = failure({ ttlMs: 1_500, renewEveryMs: 700, marginMs: 300 });
    assert.deepEqual(
      renew.issues.map((issue) => issue.path),
      ['renewEveryMs'],
    );
    assert.match(renew.message, /at most half of ttlMs − marginMs \(1200\)/);
  });
});
