import assert from 'node:assert/strict';
import { test } from 'node:test';
import { icmpOptionsSchema, icmpTargetSchema } from './options.ts';

function firstIssue(input: unknown): string {
  const result = icmpOptionsSchema.safeParse(input);
  assert.ok(!result.success, 'expected a validation error');
  const issue = result.error.issues[0];
  return `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`;
}

test('count defaults to 3 and accepts CLI text', () => {
  assert.deepEqual(icmpOptionsSchema.parse({}), { count: 3 });
  assert.deepEqual(icmpOptionsSchema.parse({ count: '5', degradedThresholdMs: '1s' }), {
    count: 5,
    degradedThresholdMs: 1000,
  });
});

test('names the field and the reason for each problem', () => {
  assert.equal(firstIssue({ count: 0 }), 'count: must be at least 1');
  assert.equal(firstIssue({ count: 21 }), 'count: must be at most 20');
  assert.equal(firstIssue({ count: 2.5 }), 'count: must be a whole number');
  assert.equal(firstIssue({ count: 'many' }), 'count: must be a whole number');
  assert.match(firstIssue({ resolver: '127.0.0.1' }), /resolver/);
});

test('the target is a host or IP; IPv6 brackets are dropped', () => {
  assert.equal(icmpTargetSchema.parse('[::1]'), '::1');
  assert.equal(icmpTargetSchema.parse(' Gateway.Example.TEST '), 'gateway.example.test');
  assert.equal(icmpTargetSchema.parse('127.0.0.1'), '127.0.0.1');
  const bad = icmpTargetSchema.safeParse('-f 127.0.0.1');
  assert.ok(!bad.success);
  assert.match(bad.error.issues[0]?.message ?? '', /not a valid hostname or IP address/);
});
