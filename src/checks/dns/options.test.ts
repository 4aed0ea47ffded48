import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dnsOptionsSchema, dnsTargetSchema } from './options.ts';

function firstIssue(input: unknown): string {
  const result = dnsOptionsSchema.safeParse(input);
  assert.ok(!result.success, 'expected a validation error');
  const issue = result.error.issues[0];
  return `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`;
}

test('defaults: A record, any match, no expectations, system resolver', () => {
  assert.deepEqual(dnsOptionsSchema.parse({}), { recordType: 'A', expect: [], match: 'any' });
});

test('accepts CLI shapes: lower-case type, comma lists, duration text', () => {
  const parsed = dnsOptionsSchema.parse({
    recordType: 'aaaa',
    resolver: '::1',
    expect: ['2001:db8::1,2001:db8::2', ' 2001:db8::3'],
    match: 'ALL',
    degradedThresholdMs: '200ms',
  });
  assert.deepEqual(parsed, {
    recordType: 'AAAA',
    resolver: '[::1]:53',
    expect: ['2001:db8::1', '2001:db8::2', '2001:db8::3'],
    match: 'all',
    degradedThresholdMs: 200,
  });
  // TXT data often contains commas, so TXT values are never split.
  const txt = dnsOptionsSchema.parse({
    recordType: 'TXT',
    expect: 'v=DMARC1; rua=mailto:a@x.test,mailto:b@x.test',
  });
  assert.deepEqual(txt.expect, ['v=DMARC1; rua=mailto:a@x.test,mailto:b@x.test']);
  // Parsing the stored shape again changes nothing.
  assert.deepEqual(dnsOptionsSchema.parse(parsed), parsed);
});

test('names the field and the reason for each problem', () => {
  assert.match(firstIssue({ resolver: 'dns.example.test' }), /^resolver: must be an IP address/);
  assert.match(firstIssue({ resolver: '127.0.0.1:0' }), /^resolver: port "0" must be a number/);
  assert.match(firstIssue({ recordType: 'PTR' }), /^recordType: must be one of A, AAAA, CNAME/);
  assert.match(firstIssue({ match: 'some' }), /^match: must be "all" or "any"/);
  assert.match(firstIssue({ expect: ['192.0.2.1,'] }), /^expect: values must not be empty/);
  assert.match(firstIssue({ count: 3 }), /count/);
});

test('the target is a DNS name, stored lower-case without the root dot', () => {
  assert.equal(dnsTargetSchema.parse('WWW.Example.TEST.'), 'www.example.test');
  assert.equal(dnsTargetSchema.parse('_sip._tcp.example.test'), '_sip._tcp.example.test');
  const bad = dnsTargetSchema.safeParse('not a name');
  assert.ok(!bad.success);
  assert.match(bad.error.issues[0]?.message ?? '', /not a valid DNS name/);
});
