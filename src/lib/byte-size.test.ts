import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseByteSize } from './byte-size.ts';

describe('parseByteSize', () => {
  it('reads decimal and binary units, any case, with or without a space', () => {
    assert.equal(parseByteSize('500MB'), 500_000_000);
    assert.equal(parseByteSize('20GB'), 20_000_000_000);
    assert.equal(parseByteSize('1.5 gib'), 1.5 * 2 ** 30);
    assert.equal(parseByteSize('4096B'), 4096);
    assert.equal(parseByteSize(' 2TB '), 2e12);
  });

  it('refuses sizes without a known unit', () => {
    for (const text of ['', '20', 'GB', '20 GBs', '-1GB', '1e3MB', '20 G', '1..5GB']) {
      assert.equal(parseByteSize(text), undefined, text);
    }
  });
});
