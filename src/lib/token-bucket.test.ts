import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 3 });
    assert.deepEqual(
      [0, 0, 0, 0].map(() => bucket.take(1_000)),
      [true, true, true, false],
    );
    assert.equal(bucket.take(1_050), false, 'half a token after 50 ms');
    assert.equal(bucket.take(1_100), true, 'one token after 100 ms');
    assert.equal(bucket.take(1_100), false);
  });

  it('never holds more than its burst after a long pause', () => {
    const bucket = new TokenBucket({ perSecond: 100, burst: 2 });
    const taken = Array.from({ length: 5 }, () => bucket.take(3_600_000));
    assert.deepEqual(taken, [true, true, false, false, false]);
  });

  it('a clock going back refills nothing', () => {
    const bucket = new TokenBucket({ perSecond: 1, burst: 1 });
    assert.equal(bucket.take(10_000), true);
    assert.equal(bucket.take(5_000), false);
    assert.equal(bucket.take(10_500), false);
    assert.equal(bucket.take(11_000), true);
  });

  it('grants at most burst + rate × elapsed over any sequence of calls', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 200 }),
        (perSecond, burst, steps) => {
          const bucket = new TokenBucket({ perSecond, burst });
          let now = 0;
          let granted = 0;
          for (const step of steps) {
            now += step;
            if (bucket.take(now)) granted++;
          }
          assert.ok(granted <= burst + Math.floor((now / 1000) * perSecond) + 1e-9);
        },
      ),
    );
  });
});
