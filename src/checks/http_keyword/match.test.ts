import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keywordFailure } from './match.ts';

const base = { caseInsensitive: false, invert: false };

test('a present keyword passes; a missing one is quoted in the failure', () => {
  assert.equal(
    keywordFailure('status: healthy', { ...base, keyword: 'healthy' }, false),
    undefined,
  );
  assert.equal(
    keywordFailure('status: degraded', { ...base, keyword: 'healthy' }, false),
    'keyword "healthy" not found in the body',
  );
});

test('case-insensitive matching applies to keywords and regexes', () => {
  assert.equal(keywordFailure('All OK', { ...base, keyword: 'ok' }, false) !== undefined, true);
  assert.equal(
    keywordFailure('All OK', { ...base, keyword: 'ok', caseInsensitive: true }, false),
    undefined,
  );
  assert.equal(
    keywordFailure('All OK', { ...base, regex: 'all\\s+ok', caseInsensitive: true }, false),
    undefined,
  );
});

test('inverted: present fails, absent passes', () => {
  const rule = { ...base, keyword: 'error', invert: true };
  assert.equal(keywordFailure('fine', rule, false), undefined);
  assert.equal(
    keywordFailure('an error occurred', rule, false),
    'keyword "error" found in the body (must be absent)',
  );
});

test('regex failures quote the pattern', () => {
  assert.equal(
    keywordFailure('version 1', { ...base, regex: 'version \\d{2}' }, false),
    'pattern "/version \\\\d{2}/" not found in the body',
  );
});

test('a truncated body says only part was searched; long keywords are shortened', () => {
  const message = keywordFailure('abc', { ...base, keyword: 'x'.repeat(200) }, true) ?? '';
  assert.match(message, /first part of the body/);
  assert.ok(message.length < 200);
});
