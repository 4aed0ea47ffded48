import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpTargetSchema, httpsTargetSchema } from './target.ts';

test('http accepts http and https URLs and normalises them', () => {
  assert.equal(httpTargetSchema.parse(' http://Example.test '), 'http://example.test/');
  assert.equal(
    httpTargetSchema.parse('https://example.test/a?b=1#frag'),
    'https://example.test/a?b=1',
  );
});

test('https requires https://', () => {
  assert.equal(
    httpsTargetSchema.parse('https://example.test/health'),
    'https://example.test/health',
  );
  const result = httpsTargetSchema.safeParse('http://example.test/');
  assert.equal(result.success, false);
  assert.match(result.error?.issues[0]?.message ?? '', /must start with https:\/\//);
});

test('rejects relative URLs and other schemes with a reason', () => {
  for (const bad of ['example.test/health', '/health', 'ftp://example.test/']) {
    const result = httpTargetSchema.safeParse(bad);
    assert.equal(result.success, false, bad);
    assert.match(result.error?.issues[0]?.message ?? '', /http:\/\/ or https:\/\//);
  }
});
