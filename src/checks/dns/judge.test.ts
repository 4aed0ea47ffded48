import assert from 'node:assert/strict';
import { test } from 'node:test';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import type { DnsVerdictInput } from './judge.ts';
import { judgeDnsResponse } from './judge.ts';

function response(answers: Answer[], flags = dnsPacket.AUTHORITATIVE_ANSWER): DecodedPacket {
  return dnsPacket.decode(dnsPacket.encode({ type: 'response', id: 7, flags, answers }));
}

function input(overrides: Partial<DnsVerdictInput> = {}): DnsVerdictInput {
  return {
    name: 'www.example.test',
    recordType: 'A',
    expect: [],
    match: 'any',
    degradedThresholdMs: undefined,
    latencyMs: 4,
    details: { resolver: '127.0.0.1:53' },
    ...overrides,
  };
}

const alias: Answer = {
  name: 'www.example.test',
  type: 'CNAME',
  ttl: 300,
  data: 'web.example.test',
};
const a1: Answer = { name: 'web.example.test', type: 'A', ttl: 120, data: '192.0.2.1' };
const a2: Answer = { name: 'web.example.test', type: 'A', ttl: 60, data: '192.0.2.2' };

test('up with answers of the asked type, TTLs, CNAMEs passed and the AA flag', () => {
  const result = judgeDnsResponse(response([alias, a1, a2]), input());
  assert.equal(result.status, 'up');
  assert.equal(result.message, '2 A records in 4 ms: 192.0.2.1, 192.0.2.2');
  assert.deepEqual(result.details.answers, ['192.0.2.1', '192.0.2.2']);
  assert.deepEqual(result.details.ttls, ['120', '60']);
  assert.equal(result.details.minTtl, 60);
  assert.deepEqual(result.details.cnames, ['web.example.test']);
  assert.equal(result.details.authoritative, true);
  assert.equal(result.details.rcode, 'NOERROR');
  assert.equal(result.details.resolver, '127.0.0.1:53');
  assert.equal(result.timings.dnsMs, 4);
});

test('down/dns naming the rcode, and for an empty answer', () => {
  const nx = judgeDnsResponse(response([], 3), input());
  assert.equal(nx.errorKind, 'dns');
  assert.equal(nx.message, 'NXDOMAIN for www.example.test A');
  const empty = judgeDnsResponse(response([alias]), input());
  assert.equal(empty.errorKind, 'dns');
  assert.match(empty.message, /no A records .*NOERROR/);
  assert.equal(empty.details.minTtl, null);
});

test('down/assertion names expected and received values', () => {
  const result = judgeDnsResponse(response([a1]), input({ expect: ['192.0.2.9'] }));
  assert.equal(result.errorKind, 'assertion');
  assert.equal(result.message, 'expected any of ["192.0.2.9"], got ["192.0.2.1"]');
  assert.deepEqual(result.details.missing, ['192.0.2.9']);
});

test('degraded when slower than the threshold, and long answer lists are shortened', () => {
  const many = [1, 2, 3, 4, 5].map((n): Answer => ({
    name: 'x.test',
    type: 'A',
    ttl: 1,
    data: `192.0.2.${n}`,
  }));
  const result = judgeDnsResponse(
    response(many),
    input({ latencyMs: 80, degradedThresholdMs: 50 }),
  );
  assert.equal(result.status, 'degraded');
  assert.match(result.message, /192\.0\.2\.3, … \(\+2\) \(slower than 50 ms\)$/);
});
