import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTlsTarget, tlsTargetSchema } from './target.ts';

test('defaults the port to 443 and keeps an explicit one', () => {
  assert.deepEqual(parseTlsTarget('example.test'), { host: 'example.test', port: 443 });
  assert.deepEqual(parseTlsTarget('example.test:8443'), { host: 'example.test', port: 8443 });
  assert.deepEqual(parseTlsTarget('[::1]:8443'), { host: '::1', port: 8443 });
  assert.deepEqual(parseTlsTarget('::1'), { host: '::1', port: 443 });
});

test('accepts a URL and keeps only host and port', () => {
  assert.deepEqual(parseTlsTarget('https://example.test/health'), {
    host: 'example.test',
    port: 443,
  });
  assert.deepEqual(parseTlsTarget('https://example.test:9443/'), {
    host: 'example.test',
    port: 9443,
  });
});

test('stores the normalised host:port', () => {
  assert.equal(tlsTargetSchema.parse('example.test'), 'example.test:443');
  assert.equal(tlsTargetSchema.parse('::1'), '[::1]:443');
});

test('explains malformed targets', () => {
  assert.match(parseTlsTarget('example.test:99999') as string, /not a port/);
  assert.match(parseTlsTarget('bad host') as string, /host or host:port/);
  assert.match(parseTlsTarget('') as string, /host or host:port/);
  assert.equal(tlsTargetSchema.safeParse('a:b:c:d:e').success, false);
});
