import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { followAbort, unfollowAbort } from './abort-fan-out.ts';

describe('followAbort', () => {
  it('aborts every follower with the outer reason, once', () => {
    const outer = new AbortController();
    const inners = [new AbortController(), new AbortController(), new AbortController()];
    for (const inner of inners) followAbort(outer.signal, inner);
    const reason = new Error('shutdown');
    outer.abort(reason);
    for (const inner of inners) {
      assert.equal(inner.signal.aborted, true);
      assert.equal(inner.signal.reason, reason);
    }
  });

  it('leaves a follower that unfollowed before the abort alone', () => {
    const outer = new AbortController();
    const kept = new AbortController();
    const released = new AbortController();
    followAbort(outer.signal, kept);
    followAbort(outer.signal, released);
    unfollowAbort(outer.signal, released);
    outer.abort();
    assert.equal(kept.signal.aborted, true);
    assert.equal(released.signal.aborted, false);
  });

  it('aborts at once when the outer signal is already aborted', () => {
    const outer = new AbortController();
    outer.abort('gone');
    const inner = new AbortController();
    followAbort(outer.signal, inner);
    assert.equal(inner.signal.reason, 'gone');
  });

  it('keeps one listener on the outer signal however many follow it', () => {
    const outer = new AbortController();
    let added = 0;
    const add = outer.signal.addEventListener.bind(outer.signal);
    outer.signal.addEventListener = (...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    };
    for (let i = 0; i < 100; i++) followAbort(outer.signal, new AbortController());
    assert.equal(added, 1);
  });

  it('unfollowing a signal nobody followed is a no-op', () => {
    assert.doesNotThrow(() => unfollowAbort(new AbortController().signal, new AbortController()));
  });
});
