import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUdpTarget, udpTargetSchema } from './target.ts';

test('parses host:port for names, IPv4 and bracketed IPv6, and a udp:// prefix', () => {
  assert.deepEqual(parseUdpTarget('ntp.internal:123'), { host: 'ntp.internal', port: 123 });
  assert.deepEqual(parseUdpTarget('[::1]:53'), { host: '::1', port: 53 });
  assert.deepEqual(parseUdpTarget('udp://127.0.0.1:514'), { host: '127.0.0.1', port: 514 });
});

test('explains what is wrong with a bad target', () => {
  const cases: [string, RegExp][] = [
    ['ntp.internal', /must be host:port, e\.g\. ntp\.internal:123/],
    ['host:0', /port "0" must be a number from 1 to 65535/],
    ['bad_host!:53', /not a valid hostname/],
    ['http://127.0.0.1:80/', /must be host:port/],
  ];
  for (const [input, reason] of cases) {
    const parsed = parseUdpTarget(input);
    assert.ok('error' in parsed, `${input} should be rejected`);
    assert.match(parsed.error, reason, input);
  }
});

test('the schema normalises the stored target', () => {
  assert.equal(udpTargetSchema.parse('LOCALHOST:53'), 'localhost:53');
  assert.equal(udpTargetSchema.parse('udp://[::1]:53'), '[::1]:53');
  assert.ok(!udpTargetSchema.safeParse('localhost').success);
});
