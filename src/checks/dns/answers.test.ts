import assert from 'node:assert/strict';
import { test } from 'node:test';
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { formatAnswer, rcodeName } from './answers.ts';

/** Encodes and decodes, so the answers have exactly the shape a real response has. */
function decoded(answer: Answer): Answer {
  const wire = dnsPacket.encode({ type: 'response', id: 1, answers: [answer] });
  const first = dnsPacket.decode(wire).answers?.[0];
  assert.ok(first, 'answer survived the round trip');
  return first;
}

test('formats every supported record type the way dig prints it', () => {
  const name = 'example.test';
  const cases: [Answer, string][] = [
    [{ name, type: 'A', ttl: 60, data: '192.0.2.10' }, '192.0.2.10'],
    [{ name, type: 'AAAA', ttl: 60, data: '2001:db8:0:0::1' }, '2001:db8::1'],
    [{ name, type: 'CNAME', ttl: 60, data: 'target.example.test' }, 'target.example.test'],
    [{ name, type: 'NS', ttl: 60, data: 'ns1.example.test' }, 'ns1.example.test'],
    [
      { name, type: 'MX', ttl: 60, data: { preference: 10, exchange: 'mail.example.test' } },
      '10 mail.example.test',
    ],
    [
      { name, type: 'TXT', ttl: 60, data: ['v=spf1 ', 'include:_spf.example.test -all'] },
      'v=spf1 include:_spf.example.test -all',
    ],
    [
      {
        name,
        type: 'SOA',
        ttl: 60,
        data: {
          mname: 'ns1.example.test',
          rname: 'hostmaster.example.test',
          serial: 2026010101,
          refresh: 3600,
          retry: 600,
          expire: 604800,
          minimum: 300,
        },
      },
      'ns1.example.test hostmaster.example.test 2026010101 3600 600 604800 300',
    ],
    [
      {
        name: '_sip._tcp.example.test',
        type: 'SRV',
        ttl: 60,
        data: { priority: 10, weight: 5, port: 5060, target: 'sip.example.test' },
      },
      '10 5 5060 sip.example.test',
    ],
    [
      { name, type: 'CAA', ttl: 60, data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } },
      '0 issue letsencrypt.org',
    ],
  ];
  for (const [answer, text] of cases)
    assert.equal(formatAnswer(decoded(answer)), text, answer.type);
});

test('names response codes, including unassigned ones', () => {
  assert.equal(rcodeName(0), 'NOERROR');
  assert.equal(rcodeName(0x8180 | 3), 'NXDOMAIN');
  assert.equal(rcodeName(2), 'SERVFAIL');
  assert.equal(rcodeName(5), 'REFUSED');
  assert.equal(rcodeName(12), 'RCODE_12');
});
