import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpKeywordOptionsSchema } from './options.ts';

function issuePaths(input: unknown): Map<string, string> {
  const result = httpKeywordOptionsSchema.safeParse(input);
  assert.equal(result.success, false);
  return new Map(
    (result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]),
  );
}

test('accepts a keyword with the http defaults', () => {
  const options = httpKeywordOptionsSchema.parse({ keyword: 'ok', invert: true });
  assert.equal(options.keyword, 'ok');
  assert.equal(options.invert, true);
  assert.equal(options.caseInsensitive, false);
  assert.equal(options.method, 'GET');
});

test('exactly one of keyword and regex is required', () => {
  assert.match(issuePaths({}).get('keyword') ?? '', /keyword or a regex/);
  assert.match(issuePaths({ keyword: 'a', regex: 'b' }).get('regex') ?? '', /not both/);
});

test('an invalid regex is a validation error naming the field', () => {
  assert.match(issuePaths({ regex: '(unclosed' }).get('regex') ?? '', /invalid regular expression/);
});

test('HEAD has no body to search', () => {
  assert.match(issuePaths({ keyword: 'a', method: 'head' }).get('method') ?? '', /HEAD/);
});

test('field errors and the keyword rule are reported together', () => {
  const paths = issuePaths({ keyword: '', maxRedirects: 99 });
  assert.ok(paths.has('keyword'));
  assert.ok(paths.has('maxRedirects'));
});
