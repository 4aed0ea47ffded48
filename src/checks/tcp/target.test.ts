import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTcpTarget, tcpTargetSchema } from './target.ts';

test('parses host:port for names, IPv4 and bracketed IPv6', () => {
  assert.deepEqual(parseTcpTarget('db.internal:5432'), { host: 'db.internal', port: 5432 });
  assert.deepEqual(parseTcpTarget(' 127.0.0.1:22 '), { host: '127.0.0.1', port: 22 });
  assert.deepEqual(parseTcpTarget('[::1]:8080'), { host: '::1', port: 8080 });
  assert.deepEqual(parseTcpTarget('Mail.Example.COM:25'), { host: 'mail.example.com', port: 25 });
});

test('explains what is wrong with a bad target', () => {
  const cases: [string, RegExp][] = [
    ['db.internal', /must be host:port/],
    ['::1:80', /must be host:port/],
    ['[::1]', /must be host:port/],
    ['host:0', /port "0" must be a number from 1 to 65535/],
    ['host:70000', /port "70000"/],
    ['host:http', /port "http"/],
    ['bad_host!:80', /not a valid hostname/],
    ['[nothost]:80', /must be host:port/],
  ];
  for (const [input, reason] of cases) {
    const parsed = parseTcpTarget(input);
    assert.ok('error' in parsed, `${input} should be rejected`);
    assert.match(parsed.error, reason, input);
  }
});

test('the schema normalises the stored target', () => {
  assert.equal(tcpTargetSchema.parse('[::1]:53'), '[::1]:53');
  assert.equal(tcpTargetSchema.parse('LOCALHOST:80'), 'localhost:80');
  const bad = tcpTargetSchema.safeParse('localhost');
  assert.ok(!bad.success);
  assert.match(bad.error.issues[0]?.message ?? '', /host:port/);
});
