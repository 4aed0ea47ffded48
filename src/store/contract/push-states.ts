// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PushState } from '../../domain/push-state.ts';
import { AppError } from '../../lib/errors.ts';
import type { MakeStore } from './fixtures.ts';
import { makeMonitor, MINUTE, T0, withStore } from './fixtures.ts';

const state = (overrides: Partial<PushState> = {}): PushState => ({
  lastPingAt: T0,
  lastStatus: 'up',
  lastMessage: null,
  runStartedAt: null,
  lastRunMs: null,
  ...overrides,
});

/** Push monitors' pings: saved, replaced, listed, and gone with their monitor. */
export function pushStateContract(makeStore: MakeStore): void {
  it('saves, replaces and lists push states with every field', () =>
    withStore(makeStore, async (store) => {
      await store.insertMonitor(makeMonitor('m1', { type: 'push', target: 'backup' }));
      await store.insertMonitor(makeMonitor('m2', { type: 'push', target: 'report' }));
      assert.deepEqual(await store.listPushStates(), new Map());
      await store.savePushState('m1', state({ runStartedAt: T0 + MINUTE }), T0 + MINUTE);
      const failed = state({
        lastPingAt: T0 + 2 * MINUTE,
        lastStatus: 'down',
        lastMessage: 'disk full',
        lastRunMs: 61_000,
      });
      await store.savePushState('m1', failed, T0 + 2 * MINUTE);
      await store.savePushState('m2', state({ lastPingAt: null, lastStatus: null }), T0);
      const listed = await store.listPushStates();
      assert.deepEqual(listed.get('m1'), failed);
      assert.deepEqual(listed.get('m2'), state({ lastPingAt: null, lastStatus: null }));
    }));

  it('refuses a state for a missing monitor and drops a state with its monitor', () =>
    withStore(makeStore, async (store) => {
      await assert.rejects(
        store.savePushState('nope', state(), T0),
        (error: unknown) => error instanceof AppError && error.code === 'NOT_FOUND',
      );
      await store.insertMonitor(makeMonitor('m1', { type: 'push', target: 'backup' }));
      await store.savePushState('m1', state(), T0);
      assert.equal(await store.deleteMonitor('m1'), true);
      assert.equal((await store.listPushStates()).size, 0);
    }));
}
