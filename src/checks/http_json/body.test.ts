import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpExchange } from '../http/index.ts';
import { parseJsonAssertion } from './assertion.ts';
import type { JsonAssertion } from './assertion.ts';
import { jsonBodyFailure } from './body.ts';

function exchangeWith(body: string, bodyTruncated = false): HttpExchange {
  return {
    statusCode: 200,
    headers: {},
    finalUrl: 'http://a.test/',
    redirects: 0,
    body: Buffer.from(body),
    bodyBytes: body.length,
    bodyTruncated,
    latencyMs: 1,
    timings: {},
    tls: undefined,
  };
}

function assertions(...texts: string[]): JsonAssertion[] {
  return texts.map((text) => {
    const parsed = parseJsonAssertion(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.assertion;
  });
}

test('all assertions holding passes', () => {
  assert.equal(
    jsonBodyFailure(exchangeWith('{"a":1,"b":"x"}'), assertions('$.a == 1', '$.b == "x"')),
    undefined,
  );
});

test('a non-JSON body fails saying so', () => {
  assert.match(
    jsonBodyFailure(exchangeWith('<html>'), assertions('$.a == 1')) ?? '',
    /^body is not JSON/,
  );
  assert.match(
    jsonBodyFailure(exchangeWith('{"a":', true), assertions('$.a == 1')) ?? '',
    /too large/,
  );
});

test('reports the first failure and how many more failed', () => {
  const message = jsonBodyFailure(
    exchangeWith('{"a":1,"b":2}'),
    assertions('$.a == 2', '$.b == 3', '$.a == 1'),
  );
  assert.equal(message, '$.a == 2 failed: actual 1 (and 1 more failed)');
});
