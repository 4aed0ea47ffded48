import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tcpOptionsSchema } from './options.ts';

function issues(input: unknown): string[] {
  const result = tcpOptionsSchema.safeParse(input);
  assert.ok(!result.success, 'expected a validation error');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

test('accepts the stored shape and the CLI shape', () => {
  assert.deepEqual(tcpOptionsSchema.parse({}), {});
  assert.deepEqual(
    tcpOptionsSchema.parse({ send: 'PING\\r\\n', expect: '+PONG', degradedThresholdMs: 250 }),
    { send: 'PING\\r\\n', expect: '+PONG', degradedThresholdMs: 250 },
  );
  // The CLI's --expect is a list flag and --degraded-after is duration text.
  assert.deepEqual(
    tcpOptionsSchema.parse({ expect: ['/^SSH-/'], degradedThresholdMs: '1.5s', send: undefined }),
    { expect: '/^SSH-/', degradedThresholdMs: 1500 },
  );
});

test('names the field and the reason for each problem', () => {
  assert.deepEqual(issues({ expect: '/(x/' }).length, 1);
  assert.match(issues({ expect: '/(x/' })[0] ?? '', /^expect: invalid regex/);
  assert.match(issues({ expect: ['a', 'b'] })[0] ?? '', /^expect: tcp accepts exactly one/);
  assert.match(issues({ expect: '' })[0] ?? '', /^expect: must not be empty/);
  assert.match(issues({ send: 'x'.repeat(5000) })[0] ?? '', /^send: /);
  assert.match(
    issues({ degradedThresholdMs: 'soon' })[0] ?? '',
    /^degradedThresholdMs: must be a positive duration/,
  );
  assert.match(issues({ count: 3 })[0] ?? '', /count/);
});
