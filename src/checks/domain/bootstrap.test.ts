import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bootstrapSchema, domainQueryUrl, rdapBaseUrls } from './bootstrap.ts';
import type { RdapBootstrap } from './bootstrap.ts';

const registry: RdapBootstrap = {
  version: '1.0',
  services: [
    [['uk'], ['https://rdap.nominet.uk/uk/']],
    [
      ['co.uk', 'org.uk'],
      ['http://rdap.example/co-uk/', 'https://rdap.example/co-uk/'],
    ],
    [['COM'], ['https://rdap.verisign.com/com/v1/']],
  ],
};

describe('rdap bootstrap lookup', () => {
  it('picks the entry with the longest matching label suffix', () => {
    assert.deepEqual(rdapBaseUrls(registry, 'shop.example.co.uk'), [
      'https://rdap.example/co-uk/',
      'http://rdap.example/co-uk/',
    ]);
    assert.deepEqual(rdapBaseUrls(registry, 'example.uk'), ['https://rdap.nominet.uk/uk/']);
    assert.deepEqual(rdapBaseUrls(registry, 'Example.com.'), ['https://rdap.verisign.com/com/v1/']);
    assert.deepEqual(rdapBaseUrls(registry, 'example.notatld'), []);
  });

  it('never matches a suffix that is not whole labels', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,10}$/), (prefix) => {
        // "xuk" ends in "uk" but is another TLD.
        assert.deepEqual(
          rdapBaseUrls(registry, `example.${prefix}uk`),
          prefix === '' ? rdapBaseUrls(registry, 'example.uk') : [],
        );
      }),
    );
  });

  it('any label added in front keeps the same answer', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9]{1,12}$/), { minLength: 1, maxLength: 4 }),
        (labels) => {
          const domain = `${labels.join('.')}.co.uk`;
          assert.deepEqual(rdapBaseUrls(registry, domain), rdapBaseUrls(registry, 'x.co.uk'));
        },
      ),
    );
  });

  it('builds the domain query URL under a base with or without a slash', () => {
    assert.equal(
      domainQueryUrl('https://rdap.verisign.com/com/v1/', 'example.com'),
      'https://rdap.verisign.com/com/v1/domain/example.com',
    );
    assert.equal(
      domainQueryUrl('http://127.0.0.1:8080/rdap', 'xn--bcher-kva.de'),
      'http://127.0.0.1:8080/rdap/domain/xn--bcher-kva.de',
    );
  });

  it('the shipped dns.json is an RFC 9224 registry covering the common TLDs', () => {
    const shipped = bootstrapSchema.parse(
      JSON.parse(fs.readFileSync(new URL('./dns.json', import.meta.url), 'utf8')),
    );
    assert.deepEqual(rdapBaseUrls(shipped, 'example.com'), ['https://rdap.verisign.com/com/v1/']);
    assert.deepEqual(rdapBaseUrls(shipped, 'example.net'), ['https://rdap.verisign.com/net/v1/']);
    for (const tld of ['org', 'dev', 'app', 'io'])
      assert.equal(rdapBaseUrls(shipped, `example.${tld}`).length, 1, tld);
  });
});
