import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSlots } from './slots.ts';

test('grants up to the limit, then queues in order', async () => {
  const slots = createSlots(2);
  const signal = new AbortController().signal;
  const a = await slots.acquire(signal);
  const b = await slots.acquire(signal);
  assert.equal(slots.inUse, 2);
  const order: string[] = [];
  const c = slots.acquire(signal).then((r) => (order.push('c'), r));
  const d = slots.acquire(signal).then((r) => (order.push('d'), r));
  assert.ok(typeof a === 'function' && typeof b === 'function');
  a();
  a(); // a second release of the same slot is ignored
  const gotC = await c;
  assert.deepEqual(order, ['c']);
  assert.equal(slots.inUse, 2);
  b();
  const gotD = await d;
  assert.deepEqual(order, ['c', 'd']);
  assert.ok(typeof gotC === 'function' && typeof gotD === 'function');
  gotC();
  gotD();
  assert.equal(slots.inUse, 0);
});

test('a waiter whose signal aborts gives up and leaves the queue', async () => {
  const slots = createSlots(1);
  const held = await slots.acquire(new AbortController().signal);
  const controller = new AbortController();
  const waiting = slots.acquire(controller.signal);
  controller.abort();
  assert.equal(await waiting, 'aborted');
  assert.ok(typeof held === 'function');
  held();
  assert.equal(slots.inUse, 0);
  assert.equal(await slots.acquire(AbortSignal.abort()), 'aborted');
});
