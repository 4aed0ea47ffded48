import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDomainTarget } from './target.ts';

describe('domain targets', () => {
  it('normalises to lower-case ASCII without the trailing dot', () => {
    assert.deepEqual(parseDomainTarget(' Example.COM. '), { domain: 'example.com' });
    assert.deepEqual(parseDomainTarget('bücher.de'), { domain: 'xn--bcher-kva.de' });
    assert.deepEqual(parseDomainTarget('shop.example.co.uk'), { domain: 'shop.example.co.uk' });
  });

  it('rejects URLs, host:port, single labels, IPs and junk', () => {
    for (const text of [
      'https://example.com',
      'example.com:443',
      'com',
      '192.0.2.1',
      'exa mple.com',
      '',
      '-bad-.com',
    ])
      assert.ok('error' in parseDomainTarget(text), text);
  });
});
