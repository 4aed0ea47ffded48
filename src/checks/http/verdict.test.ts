import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpExchange } from './exchange.ts';
import { judgeHttpExchange } from './verdict.ts';

const NOW = Date.UTC(2026, 0, 1);

function exchange(overrides: Partial<HttpExchange> = {}): HttpExchange {
  return {
    statusCode: 200,
    headers: {},
    finalUrl: 'https://a.test/',
    redirects: 0,
    body: Buffer.from('hello'),
    bodyBytes: 5,
    bodyTruncated: false,
    latencyMs: 40,
    timings: { connectMs: 1, tlsMs: 2, firstByteMs: 3 },
    tls: undefined,
    ...overrides,
  };
}

const defaults = { expectedStatus: ['200-399'] };

test('an expected status is up with the facts in details', () => {
  const result = judgeHttpExchange(exchange({ redirects: 2 }), defaults, NOW);
  assert.equal(result.status, 'up');
  assert.equal(result.message, 'HTTP 200 in 40 ms after 2 redirects');
  assert.deepEqual(result.details, {
    statusCode: 200,
    finalUrl: 'https://a.test/',
    redirects: 2,
    bodyBytes: 5,
  });
  assert.deepEqual(result.timings, { connectMs: 1, tlsMs: 2, firstByteMs: 3 });
});

test('an unexpected status is down/status naming the expectation', () => {
  const result = judgeHttpExchange(
    exchange({ statusCode: 503 }),
    { expectedStatus: ['200-299', '301'] },
    NOW,
  );
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'status');
  assert.equal(result.message, 'HTTP 503 (expected 200-299,301)');
});

test('status is judged before the body, and a failing body is down/assertion', () => {
  const failing = (): string => 'keyword "x" not found in the body';
  assert.equal(
    judgeHttpExchange(exchange({ statusCode: 500 }), defaults, NOW, failing).errorKind,
    'status',
  );
  const result = judgeHttpExchange(exchange(), defaults, NOW, failing);
  assert.equal(result.errorKind, 'assertion');
  assert.equal(result.message, 'keyword "x" not found in the body');
});

test('slower than the threshold is degraded; at the threshold is up', () => {
  const slow = judgeHttpExchange(
    exchange({ latencyMs: 600 }),
    { ...defaults, degradedThresholdMs: 500 },
    NOW,
  );
  assert.equal(slow.status, 'degraded');
  assert.equal(slow.errorKind, undefined);
  assert.match(slow.message, /slower than 500ms/);
  const exact = judgeHttpExchange(
    exchange({ latencyMs: 500 }),
    { ...defaults, degradedThresholdMs: 500 },
    NOW,
  );
  assert.equal(exact.status, 'up');
});

test('https responses record certificate expiry and protocol', () => {
  const tls = {
    protocol: 'TLSv1.3',
    validFrom: new Date(NOW - 86_400_000),
    validTo: new Date(NOW + 10.5 * 86_400_000),
    subject: 'CN=a.test',
    issuer: 'CN=Test CA',
  };
  const result = judgeHttpExchange(exchange({ tls }), defaults, NOW);
  assert.equal(result.details.certDaysRemaining, 10);
  assert.equal(result.details.certValidTo, tls.validTo.toISOString());
  assert.equal(result.details.tlsProtocol, 'TLSv1.3');
  assert.equal(result.details.certSubject, 'CN=a.test');
});
