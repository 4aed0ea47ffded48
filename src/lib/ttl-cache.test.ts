import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from './clock.ts';
import { createTtlCache } from './ttl-cache.ts';

/** A clock that moves only when told (lib/ may not import the test helpers). */
class FakeClock implements Pick<Clock, 'now'> {
  #now: number;
  constructor(start: number) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): Promise<void> {
    this.#now += ms;
    return Promise.resolve();
  }
}

function counting(clock: FakeClock) {
  let loads = 0;
  let release: () => void = () => undefined;
  const cache = createTtlCache<string, string>({
    ttlMs: 10_000,
    clock,
    load: (key) => {
      loads++;
      const n = loads;
      return new Promise((resolve) => (release = () => resolve(`${key}#${n}`)));
    },
  });
  return { cache, loads: () => loads, release: () => release() };
}

describe('createTtlCache', () => {
  it('shares one load between concurrent misses', async () => {
    const { cache, loads, release } = counting(new FakeClock(0));
    const all = Promise.all(Array.from({ length: 100 }, () => cache.get('a')));
    release();
    assert.deepEqual(new Set(await all), new Set(['a#1']));
    assert.equal(loads(), 1);
  });

  it('serves the value until it expires, then loads again', async () => {
    const clock = new FakeClock(0);
    const { cache, loads, release } = counting(clock);
    const first = cache.get('a');
    release();
    assert.equal(await first, 'a#1');
    await clock.advance(9_999);
    assert.equal(await cache.get('a'), 'a#1');
    await clock.advance(1);
    const second = cache.get('a');
    release();
    assert.equal(await second, 'a#2');
    assert.equal(loads(), 2);
  });

  it('forgets an invalidated entry, and a load that was in flight when it was invalidated', async () => {
    const { cache, loads, release } = counting(new FakeClock(0));
    const stale = cache.get('a');
    cache.invalidate('a');
    release();
    assert.equal(await stale, 'a#1');
    const fresh = cache.get('a');
    release();
    assert.equal(await fresh, 'a#2');
    assert.equal(await cache.get('a'), 'a#2');
    assert.equal(loads(), 2);
  });

  it('does not keep a failed load', async () => {
    let calls = 0;
    const cache = createTtlCache<string, number>({
      ttlMs: 10_000,
      clock: new FakeClock(0),
      load: () => (++calls === 1 ? Promise.reject(new Error('boom')) : Promise.resolve(calls)),
    });
    await assert.rejects(cache.get('a'), /boom/);
    assert.equal(await cache.get('a'), 2);
  });
});
