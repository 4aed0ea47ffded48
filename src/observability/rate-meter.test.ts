import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateMeter } from './rate-meter.ts';

describe('RateMeter', () => {
  it('averages whole past seconds over the window', () => {
    const meter = new RateMeter(10);
    const t0 = 1_000_000_000_000;
    for (let s = 0; s < 10; s++) meter.mark(t0 + s * 1000, 5);
    meter.mark(t0 + 10_000, 100); // the current, partial second is not counted
    assert.equal(meter.perSecond(t0 + 10_500), 5);
  });

  it('averages over the seconds seen so far while the window is not yet full', () => {
    const meter = new RateMeter(60);
    const t0 = 1_000_000_000_000;
    for (let s = 0; s < 5; s++) meter.mark(t0 + s * 1000, 10);
    assert.equal(meter.perSecond(t0 + 5_000), 10);
    assert.equal(new RateMeter(60).perSecond(t0), 0);
  });

  it('forgets seconds older than the window', () => {
    const meter = new RateMeter(5);
    const t0 = 1_000_000_000_000;
    meter.mark(t0, 50);
    assert.equal(meter.perSecond(t0 + 1_000), 50, 'one second seen so far');
    assert.equal(meter.perSecond(t0 + 7_000), 0);
  });
});
