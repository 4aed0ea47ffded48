import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import type { Clock } from '../lib/clock.ts';
import { boundedWait, createWakeTimer } from './dispatcher-timing.ts';

describe('wake timer', () => {
  it('keeps the earlier of two wake-ups and fires once', async () => {
    const clock = new FakeClock();
    const woke: number[] = [];
    const timer = createWakeTimer(clock, () => woke.push(clock.now()));
    const t0 = clock.now();
    timer.at(t0 + 5000);
    timer.at(t0 + 1000);
    timer.at(t0 + 3000);
    await clock.advance(10_000);
    assert.deepEqual(woke, [t0 + 1000]);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('waits out a timer that fires before the clock reaches the target', async () => {
    const fake = new FakeClock();
    // A clock whose first timer fires 1 ms early, as libuv's can against the wall clock.
    let firstTimer = true;
    const early: Clock = {
      now: () => fake.now(),
      monotonic: () => fake.monotonic(),
      setTimeout: (callback, delayMs) => {
        const shortened = firstTimer ? delayMs - 1 : delayMs;
        firstTimer = false;
        return fake.setTimeout(callback, shortened);
      },
      clearTimeout: (handle) => fake.clearTimeout(handle),
    };
    const woke: number[] = [];
    const timer = createWakeTimer(early, () => woke.push(fake.now()));
    const target = fake.now() + 100;
    timer.at(target);
    await fake.advance(200);
    assert.deepEqual(woke, [target]);
  });

  it('cancel() stops a pending wake-up', async () => {
    const clock = new FakeClock();
    let woke = false;
    const timer = createWakeTimer(clock, () => (woke = true));
    timer.at(clock.now() + 10);
    timer.cancel();
    await clock.advance(100);
    assert.equal(woke, false);
  });
});

describe('boundedWait', () => {
  it('returns when the promises settle, rejections included', async () => {
    const clock = new FakeClock();
    await boundedWait(clock, [Promise.resolve(1), Promise.reject(new Error('x'))], 1000);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('returns at the limit when a promise never settles', async () => {
    const clock = new FakeClock();
    let done = false;
    const waiting = boundedWait(clock, [new Promise(() => undefined)], 1000).then(
      () => (done = true),
    );
    await clock.advance(999);
    assert.equal(done, false);
    await clock.advance(1);
    await waiting;
    assert.equal(done, true);
  });
});
