import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSshTarget, sshTargetSchema } from './target.ts';

test('parses host, host:port, IPv6 and ssh:// with port 22 by default', () => {
  assert.deepEqual(parseSshTarget('bastion.internal'), { host: 'bastion.internal', port: 22 });
  assert.deepEqual(parseSshTarget('Bastion.Internal:2222'), {
    host: 'bastion.internal',
    port: 2222,
  });
  assert.deepEqual(parseSshTarget('[::1]:2222'), { host: '::1', port: 2222 });
  assert.deepEqual(parseSshTarget('::1'), { host: '::1', port: 22 });
  assert.deepEqual(parseSshTarget('ssh://127.0.0.1:2022'), { host: '127.0.0.1', port: 2022 });
});

test('explains what is wrong with a bad target', () => {
  const cases: [string, RegExp][] = [
    ['host:0', /port "0" must be a number from 1 to 65535/],
    ['host:ssh', /port "ssh"/],
    ['bad_host!', /not a valid hostname/],
    ['[nothost]:22', /must be host or host:port/],
  ];
  for (const [input, reason] of cases) {
    const parsed = parseSshTarget(input);
    assert.ok('error' in parsed, `${input} should be rejected`);
    assert.match(parsed.error, reason, input);
  }
});

test('the schema stores host:port with the default port written out', () => {
  assert.equal(sshTargetSchema.parse('BASTION'), 'bastion:22');
  assert.equal(sshTargetSchema.parse('::1'), '[::1]:22');
  assert.ok(!sshTargetSchema.safeParse('').success);
});
