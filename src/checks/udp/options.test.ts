import assert from 'node:assert/strict';
import { test } from 'node:test';
import { udpOptionsSchema } from './options.ts';
import { parseHex, payloadBytes } from './payload.ts';

function issues(input: unknown): string[] {
  const result = udpOptionsSchema.safeParse(input);
  assert.ok(!result.success, 'expected a validation error');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

test('accepts the stored shape and the CLI shape', () => {
  assert.deepEqual(udpOptionsSchema.parse({ send: 'PING\\n', expect: 'PONG' }), {
    send: 'PING\\n',
    expect: 'PONG',
  });
  assert.deepEqual(
    udpOptionsSchema.parse({ sendHex: '0a 1b', expect: ['/^ok/i'], degradedThresholdMs: '2s' }),
    { sendHex: '0a 1b', expect: '/^ok/i', degradedThresholdMs: 2000 },
  );
});

test('a payload is required, and only one kind of it', () => {
  assert.match(issues({})[0] ?? '', /^send: a payload is required/);
  assert.match(issues({ expect: 'x' })[0] ?? '', /^send: a payload is required/);
  assert.match(issues({ send: 'a', sendHex: '00' })[0] ?? '', /^sendHex: give send or sendHex/);
});

test('names the field and the reason for each problem', () => {
  assert.match(issues({ sendHex: 'abc' })[0] ?? '', /^sendHex: must be whole bytes/);
  assert.match(issues({ sendHex: 'zz' })[0] ?? '', /^sendHex: must be hex digits/);
  assert.match(issues({ send: 'x'.repeat(1401) })[0] ?? '', /^send: must be at most 1400 bytes/);
  assert.match(issues({ send: 'x', expect: '/(x/' })[0] ?? '', /^expect: invalid regex/);
  assert.match(
    issues({ send: 'x', expect: ['a', 'b'] })[0] ?? '',
    /^expect: udp accepts exactly one/,
  );
  assert.match(issues({ send: 'x', port: 3 })[0] ?? '', /port/);
});

test('payloads: hex with separators as bytes, text with escapes as UTF-8', () => {
  assert.deepEqual(parseHex('de:ad be EF'), Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  assert.deepEqual(parseHex(' '), { error: 'must not be empty' });
  assert.deepEqual(payloadBytes({ sendHex: '00ff' }), Buffer.from([0, 255]));
  assert.deepEqual(payloadBytes({ send: 'hi\\r\\n\\x00' }), Buffer.from('hi\r\n\0'));
  assert.deepEqual(payloadBytes({ send: 'é' }), Buffer.from([0xc3, 0xa9]));
});
