import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactRedisOptions, redisOptionsSchema } from './options.ts';

function issues(input: unknown): string[] {
  const result = redisOptionsSchema.safeParse(input);
  assert.ok(!result.success, 'expected a validation error');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

test('accepts the stored shape and the CLI shape', () => {
  assert.deepEqual(redisOptionsSchema.parse({}), {});
  assert.deepEqual(
    redisOptionsSchema.parse({
      command: 'GET health',
      expect: ['ok'],
      password: 'pw',
      degradedThresholdMs: '50ms',
      insecure: undefined,
    }),
    { command: 'GET health', expect: 'ok', password: 'pw', degradedThresholdMs: 50 },
  );
});

test('names the field and the reason for each problem', () => {
  assert.match(
    issues({ command: 'SET a b' })[0] ?? '',
    /^command: SET is not one of the read-only/,
  );
  assert.match(issues({ username: 'probe' })[0] ?? '', /^username: needs a password/);
  assert.match(issues({ expect: '/(x/' })[0] ?? '', /^expect: invalid regex/);
  assert.match(issues({ expect: ['a', 'b'] })[0] ?? '', /^expect: redis accepts exactly one/);
  assert.match(issues({ ca: 'not pem' })[0] ?? '', /^ca: must be PEM/);
});

test('redaction masks the password only', () => {
  const options = redisOptionsSchema.parse({ username: 'probe', password: 'pw', command: 'PING' });
  assert.deepEqual(redactRedisOptions(options), {
    username: 'probe',
    password: '***',
    command: 'PING',
  });
  assert.deepEqual(redactRedisOptions({}), {});
});
