import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRedisTarget, redisTargetSchema } from './target.ts';

test('parses host[:port] and redis:// / rediss:// URLs with port 6379 by default', () => {
  assert.deepEqual(parseRedisTarget('Cache.Internal'), {
    host: 'cache.internal',
    port: 6379,
    tls: false,
    db: undefined,
  });
  assert.deepEqual(parseRedisTarget('127.0.0.1:6380'), {
    host: '127.0.0.1',
    port: 6380,
    tls: false,
    db: undefined,
  });
  assert.deepEqual(parseRedisTarget('rediss://cache.internal/2'), {
    host: 'cache.internal',
    port: 6379,
    tls: true,
    db: 2,
  });
  assert.deepEqual(parseRedisTarget('redis://[::1]:7000'), {
    host: '::1',
    port: 7000,
    tls: false,
    db: undefined,
  });
});

test('explains what is wrong with a bad target, and never accepts credentials', () => {
  const cases: [string, RegExp][] = [
    ['redis://:secret@cache:6379', /credentials in the URL are not accepted/],
    ['redis://user:secret@cache', /use the password and username options/],
    ['http://cache:6379', /scheme "http:\/\/" is not redis/],
    ['redis://cache/db1', /database "db1" must be a number/],
    ['redis://cache?db=1', /query and fragment/],
    ['cache:0', /port "0"/],
    ['bad_host!', /not a valid hostname/],
  ];
  for (const [input, reason] of cases) {
    const parsed = parseRedisTarget(input);
    assert.ok('error' in parsed, `${input} should be rejected`);
    assert.match(parsed.error, reason, input);
  }
});

test('the schema keeps the form written, normalised', () => {
  assert.equal(redisTargetSchema.parse('CACHE'), 'cache:6379');
  assert.equal(redisTargetSchema.parse('rediss://Cache'), 'rediss://cache:6379');
  assert.equal(redisTargetSchema.parse('redis://cache:7000/3'), 'redis://cache:7000/3');
  assert.equal(redisTargetSchema.parse('::1'), '[::1]:6379');
  const bad = redisTargetSchema.safeParse('redis://:pw@cache');
  assert.ok(!bad.success);
  assert.ok(!JSON.stringify(bad.error.issues).includes('pw@'), 'the message does not echo the URL');
});
