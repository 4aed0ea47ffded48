import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { chooseEncoding, matchesIfNoneMatch, prepareBody } from './public-bodies.ts';

const BOTH = { gzip: true, br: true };

describe('chooseEncoding', () => {
  it('prefers brotli, then gzip, honours q=0 and *, and falls back to identity', () => {
    const cases: [string | undefined, { gzip: boolean; br: boolean }, string][] = [
      [undefined, BOTH, 'identity'],
      ['', BOTH, 'identity'],
      ['gzip, deflate, br', BOTH, 'br'],
      ['gzip', BOTH, 'gzip'],
      ['br;q=0, gzip', BOTH, 'gzip'],
      ['BR ; q=0.5', BOTH, 'br'],
      ['*', BOTH, 'br'],
      ['*;q=0, identity', BOTH, 'identity'],
      ['gzip;q=0, *', { gzip: true, br: false }, 'identity'],
      ['br, gzip', { gzip: false, br: false }, 'identity'],
      ['deflate', BOTH, 'identity'],
    ];
    for (const [header, available, expected] of cases)
      assert.equal(chooseEncoding(header, available), expected, String(header));
  });

  it('never picks an encoding the body lacks or the client refused', () => {
    const name = fc.constantFrom('br', 'gzip', 'deflate', 'identity', '*', 'zstd');
    const part = fc.tuple(name, fc.option(fc.constantFrom('0', '0.5', '1'), { nil: undefined }));
    fc.assert(
      fc.property(fc.array(part), fc.boolean(), fc.boolean(), (parts, gzip, br) => {
        const header = parts.map(([n, q]) => (q === undefined ? n : `${n};q=${q}`)).join(', ');
        const chosen = chooseEncoding(header, { gzip, br });
        if (chosen === 'identity') return;
        assert.ok(chosen === 'br' ? br : gzip);
        const own = parts.filter(([n]) => n === chosen);
        const named = own.length > 0 ? own : parts.filter(([n]) => n === '*');
        assert.notEqual(named.at(-1)?.[1], '0');
      }),
    );
  });
});

describe('matchesIfNoneMatch', () => {
  it('matches the tag, a list holding it, its weak form and *; nothing else', () => {
    assert.equal(matchesIfNoneMatch('"a"', '"a"'), true);
    assert.equal(matchesIfNoneMatch('"x", "a"', '"a"'), true);
    assert.equal(matchesIfNoneMatch('W/"a"', '"a"'), true);
    assert.equal(matchesIfNoneMatch('*', '"a"'), true);
    assert.equal(matchesIfNoneMatch(undefined, '"a"'), false);
    assert.equal(matchesIfNoneMatch('"a-gz"', '"a"'), false);
    assert.equal(matchesIfNoneMatch('a', '"a"'), false);
  });
});

describe('prepareBody', () => {
  it('builds each encoding of the same bytes once, with distinct validators', async () => {
    const body = `<p>${'status '.repeat(400)}</p>`;
    const prepared = await prepareBody(body, 'text/html');
    assert.equal(prepared.identity.bytes.toString(), body);
    assert.ok(prepared.gzip && prepared.br);
    assert.ok(gunzipSync(prepared.gzip.bytes).equals(prepared.identity.bytes));
    assert.ok(brotliDecompressSync(prepared.br.bytes).equals(prepared.identity.bytes));
    const tags = new Set([prepared.identity.etag, prepared.gzip.etag, prepared.br.etag]);
    assert.equal(tags.size, 3);
  });

  it('keeps small bodies, and bodies not kept, uncompressed', async () => {
    assert.equal((await prepareBody('<svg/>', 'image/svg+xml')).gzip, undefined);
    const big = 'x'.repeat(5_000);
    assert.equal((await prepareBody(big, 'text/plain', { compress: false })).br, undefined);
  });
});
