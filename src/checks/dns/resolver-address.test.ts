import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FALLBACK_RESOLVER,
  firstNameserver,
  formatResolver,
  parseResolverAddress,
} from './resolver-address.ts';

test('parses resolver addresses with and without ports', () => {
  assert.deepEqual(parseResolverAddress('127.0.0.1'), { host: '127.0.0.1', port: 53 });
  assert.deepEqual(parseResolverAddress('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
  assert.deepEqual(parseResolverAddress('::1'), { host: '::1', port: 53 });
  assert.deepEqual(parseResolverAddress('[::1]:5353'), { host: '::1', port: 5353 });
  assert.equal(formatResolver({ host: '::1', port: 53 }), '[::1]:53');
});

test('rejects names and bad ports with the reason', () => {
  for (const bad of ['dns.example.test', 'dns.example.test:53', '', '1.2.3:53', '[::1]x']) {
    const parsed = parseResolverAddress(bad);
    assert.ok('error' in parsed, bad);
    assert.match(parsed.error, /must be an IP address/);
  }
  const port = parseResolverAddress('127.0.0.1:99999');
  assert.ok('error' in port && /port "99999"/.test(port.error));
});

test('takes the first valid nameserver from resolv.conf text', () => {
  const conf = [
    '# generated',
    'search example.test',
    'nameserver not-an-ip',
    '  nameserver 10.255.255.53 # the one',
    'nameserver 192.0.2.53',
  ].join('\n');
  assert.deepEqual(firstNameserver(conf), { host: '10.255.255.53', port: 53 });
  assert.deepEqual(firstNameserver('nameserver fe80::1\n'), { host: 'fe80::1', port: 53 });
  assert.deepEqual(firstNameserver('; no servers here\n'), FALLBACK_RESOLVER);
  assert.deepEqual(FALLBACK_RESOLVER, { host: '127.0.0.1', port: 53 });
});
