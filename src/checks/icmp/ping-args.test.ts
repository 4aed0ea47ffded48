import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planPing } from './ping-args.ts';

test('normal timeouts: 200 ms apart, family chosen from the literal', () => {
  const plan = planPing('127.0.0.1', 3, 5000);
  assert.deepEqual(plan.args, ['-n', '-c', '3', '-i', '0.2', '-W', '4.35', '-4', '127.0.0.1']);
  assert.deepEqual(planPing('::1', 1, 5000).args.slice(-2), ['-6', '::1']);
  assert.ok(!planPing('db.example.test', 3, 5000).args.some((arg) => arg === '-4' || arg === '-6'));
});

test('everything fits inside the timeout, also when it is short', () => {
  for (const [count, timeoutMs] of [
    [3, 5000],
    [20, 1000],
    [20, 10_000],
    [1, 300],
    [5, 600],
  ] as const) {
    const plan = planPing('127.0.0.1', count, timeoutMs);
    const total = (count - 1) * plan.intervalMs + plan.replyWaitMs;
    assert.ok(total < timeoutMs, `count ${count} in ${timeoutMs} ms took ${total} ms`);
    assert.ok(plan.intervalMs >= 10 && plan.intervalMs <= 200);
  }
});

test('the reply wait is capped for long timeouts', () => {
  assert.equal(planPing('127.0.0.1', 3, 120_000).replyWaitMs, 10_000);
});
