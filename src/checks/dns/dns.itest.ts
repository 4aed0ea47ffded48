import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Answer } from 'dns-packet';
import { startDnsServer } from '../../../test/helpers/dns-server.ts';
import type { TestDnsServer } from '../../../test/helpers/dns-server.ts';
import { closedPort } from '../../../test/helpers/tcp-server.ts';
import type { CheckContext } from '../types.ts';
import { createDnsCheck, dnsCheck } from './index.ts';
import { dnsOptionsSchema } from './options.ts';
import type { DnsOptions } from './options.ts';
import { FALLBACK_RESOLVER } from './resolver-address.ts';
import { readSystemResolver } from './system-resolver.ts';
import { oneShotPatterns } from '../patterns/pool.ts';

const zone: Answer[] = [
  { name: 'example.test', type: 'A', ttl: 300, data: '192.0.2.10' },
  { name: 'example.test', type: 'A', ttl: 60, data: '192.0.2.11' },
  { name: 'example.test', type: 'AAAA', ttl: 300, data: '2001:db8::10' },
  {
    name: 'example.test',
    type: 'MX',
    ttl: 300,
    data: { preference: 10, exchange: 'mail.example.test' },
  },
  { name: 'example.test', type: 'TXT', ttl: 300, data: ['v=spf1 ', '-all'] },
  { name: 'example.test', type: 'NS', ttl: 300, data: 'ns1.example.test' },
  {
    name: 'example.test',
    type: 'SOA',
    ttl: 300,
    data: {
      mname: 'ns1.example.test',
      rname: 'hostmaster.example.test',
      serial: 7,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: 60,
    },
  },
  {
    name: 'example.test',
    type: 'CAA',
    ttl: 300,
    data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' },
  },
  { name: 'www.example.test', type: 'CNAME', ttl: 300, data: 'example.test' },
  {
    name: '_sip._tcp.example.test',
    type: 'SRV',
    ttl: 300,
    data: { priority: 10, weight: 5, port: 5060, target: 'sip.example.test' },
  },
  { name: 'v4only.example.test', type: 'A', ttl: 30, data: '192.0.2.50' },
  { name: 'retry.example.test', type: 'A', ttl: 30, data: '192.0.2.20' },
  { name: 'big.example.test', type: 'A', ttl: 30, data: '192.0.2.30' },
  { name: 'spoofed.example.test', type: 'A', ttl: 30, data: '192.0.2.40' },
];

let server: TestDnsServer;
before(async () => {
  server = await startDnsServer({
    records: zone,
    silentNames: ['silent.example.test'],
    servfailNames: ['broken.example.test'],
    refusedNames: ['refused.example.test'],
    dropFirstNames: ['retry.example.test'],
    truncateNames: ['big.example.test'],
    wrongIdFirstNames: ['spoofed.example.test'],
  });
});
after(async () => {
  await server.close();
});

function options(input: Record<string, unknown> = {}): DnsOptions {
  return dnsOptionsSchema.parse({ resolver: server.address, ...input });
}

function context(timeoutMs = 2000): CheckContext {
  return { timeoutMs, signal: new AbortController().signal, patterns: oneShotPatterns };
}

test('answers every supported record type, normalised to text', async () => {
  const cases: [string, string, string[]][] = [
    ['example.test', 'A', ['192.0.2.10', '192.0.2.11']],
    ['example.test', 'AAAA', ['2001:db8::10']],
    ['www.example.test', 'CNAME', ['example.test']],
    ['example.test', 'MX', ['10 mail.example.test']],
    ['example.test', 'TXT', ['v=spf1 -all']],
    ['example.test', 'NS', ['ns1.example.test']],
    ['example.test', 'SOA', ['ns1.example.test hostmaster.example.test 7 3600 600 86400 60']],
    ['_sip._tcp.example.test', 'SRV', ['10 5 5060 sip.example.test']],
    ['example.test', 'CAA', ['0 issue letsencrypt.org']],
  ];
  for (const [name, recordType, answers] of cases) {
    const result = await dnsCheck.run(name, options({ recordType }), context());
    assert.equal(result.status, 'up', `${recordType}: ${result.message}`);
    assert.deepEqual(result.details.answers, answers, recordType);
    assert.equal(result.details.rcode, 'NOERROR');
    assert.equal(result.details.authoritative, true);
    assert.equal(result.details.transport, 'udp');
    assert.equal(typeof result.timings.dnsMs, 'number');
  }
});

test('A query through a CNAME reports the alias and the TTLs', async () => {
  const result = await dnsCheck.run('www.example.test', options(), context());
  assert.equal(result.status, 'up');
  assert.deepEqual(result.details.cnames, ['example.test']);
  assert.deepEqual(result.details.ttls, ['300', '60']);
  assert.equal(result.details.minTtl, 60);
});

test('expected values: any and all', async () => {
  const any = await dnsCheck.run(
    'example.test',
    options({ expect: '192.0.2.99,192.0.2.11' }),
    context(),
  );
  assert.equal(any.status, 'up');
  const allOk = await dnsCheck.run(
    'example.test',
    options({ expect: ['192.0.2.10', '192.0.2.11'], match: 'all' }),
    context(),
  );
  assert.equal(allOk.status, 'up');
  const allMissing = await dnsCheck.run(
    'example.test',
    options({ expect: ['192.0.2.10', '192.0.2.99'], match: 'all' }),
    context(),
  );
  assert.equal(allMissing.status, 'down');
  assert.equal(allMissing.errorKind, 'assertion');
  assert.match(
    allMissing.message,
    /expected all of \["192.0.2.10", "192.0.2.99"\], got \["192.0.2.10", "192.0.2.11"\]/,
  );
  const mx = await dnsCheck.run(
    'example.test',
    options({ recordType: 'MX', expect: '10 MAIL.example.test.' }),
    context(),
  );
  assert.equal(mx.status, 'up', 'names compare case-insensitively, trailing dot ignored');
});

test('NXDOMAIN, SERVFAIL and REFUSED are down/dns naming the rcode', async () => {
  for (const [name, rcode] of [
    ['missing.example.test', 'NXDOMAIN'],
    ['broken.example.test', 'SERVFAIL'],
    ['refused.example.test', 'REFUSED'],
  ] as const) {
    const result = await dnsCheck.run(name, options(), context());
    assert.equal(result.status, 'down');
    assert.equal(result.errorKind, 'dns');
    assert.equal(result.details.rcode, rcode);
    assert.match(result.message, new RegExp(`^${rcode} for ${name} A`));
  }
});

test('a name without records of the asked type is down/dns (NODATA)', async () => {
  const result = await dnsCheck.run(
    'v4only.example.test',
    options({ recordType: 'MX' }),
    context(),
  );
  assert.equal(result.errorKind, 'dns');
  assert.match(result.message, /no MX records/);
});

test('no answer within the timeout is down/timeout, after one retransmit', async () => {
  const before = server.queries().filter((q) => q.name === 'silent.example.test').length;
  const result = await dnsCheck.run('silent.example.test', options(), context(300));
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'timeout');
  assert.match(result.message, /no answer from 127\.0\.0\.1:\d+ within 300 ms/);
  assert.ok(result.latencyMs < 3000);
  const sent = server.queries().filter((q) => q.name === 'silent.example.test').length - before;
  assert.equal(sent, 2, 'the query was sent once and retransmitted once');
});

test('a lost first datagram is recovered by the retransmit', async () => {
  const result = await dnsCheck.run('retry.example.test', options(), context(600));
  assert.equal(result.status, 'up');
  assert.deepEqual(result.details.answers, ['192.0.2.20']);
});

test('a reply with the wrong id is ignored', async () => {
  const result = await dnsCheck.run('spoofed.example.test', options(), context());
  assert.equal(result.status, 'up');
  assert.deepEqual(result.details.answers, ['192.0.2.40']);
});

test('a truncated UDP answer is asked again over TCP', async () => {
  const result = await dnsCheck.run('big.example.test', options(), context());
  assert.equal(result.status, 'up');
  assert.equal(result.details.transport, 'tcp');
  assert.deepEqual(result.details.answers, ['192.0.2.30']);
  assert.ok(server.queries().some((q) => q.name === 'big.example.test' && q.transport === 'tcp'));
});

test('a closed resolver port is down/refused', async () => {
  const port = await closedPort();
  const result = await dnsCheck.run(
    'example.test',
    options({ resolver: `127.0.0.1:${port}` }),
    context(),
  );
  assert.equal(result.status, 'down');
  assert.equal(result.errorKind, 'refused');
  assert.match(result.message, /^resolver 127\.0\.0\.1:\d+: connection refused/);
});

test('without a resolver option the system resolver from deps is used', async () => {
  const check = createDnsCheck({
    systemResolver: async () => ({ host: server.host, port: server.port }),
  });
  const result = await check.run('example.test', dnsOptionsSchema.parse({}), context());
  assert.equal(result.status, 'up');
  assert.equal(result.details.resolver, server.address);
});

test('reads the first nameserver from a resolv.conf file, falling back to loopback', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'crosscheck-dns-'));
  try {
    const path = join(dir, 'resolv.conf');
    await writeFile(path, 'search test\nnameserver ::1\nnameserver 127.0.0.1\n');
    assert.deepEqual(await readSystemResolver(path), { host: '::1', port: 53 });
    assert.deepEqual(await readSystemResolver(join(dir, 'missing.conf')), FALLBACK_RESOLVER);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
