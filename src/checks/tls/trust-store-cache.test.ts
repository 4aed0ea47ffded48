import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { getCACertificates } from 'node:tls';
import { createTestCa } from '../../../test/helpers/certs.ts';
import { createTrustStoreCache } from './trust-store-cache.ts';

let pems: string[] = [];

before(async () => {
  pems = await Promise.all(
    ['CA One', 'CA Two', 'CA Three'].map(async (name) => (await createTestCa(name)).certPem),
  );
});

function pem(index: number): string {
  const text = pems[index];
  if (text === undefined) throw new Error(`no CA ${index}`);
  return text;
}

test('the same PEM gives one store and one secure context', () => {
  const cache = createTrustStoreCache();
  const first = cache.get(pem(0));
  const second = cache.get(pem(0));
  assert.equal(second, first);
  assert.equal(second.secureContext(), first.secureContext());
  assert.equal(cache.size, 1);
});

test('the store trusts the default CAs plus every block of the PEM', () => {
  const store = createTrustStoreCache().get(`${pem(0)}\n${pem(1)}`);
  const defaults = getCACertificates('default');
  assert.equal(store.cas.length, defaults.length + 2);
  assert.deepEqual(store.cas.slice(-2), [pem(0).trim(), pem(1).trim()]);
});

test('different PEMs never share a store or a context', () => {
  const cache = createTrustStoreCache();
  const one = cache.get(pem(0));
  const two = cache.get(pem(1));
  assert.notEqual(two, one);
  assert.notEqual(two.secureContext(), one.secureContext());
  assert.equal(cache.size, 2);
});

test('past the capacity the least recently used store is dropped', () => {
  const cache = createTrustStoreCache(2);
  const one = cache.get(pem(0));
  const two = cache.get(pem(1));
  assert.equal(cache.get(pem(0)), one, 'a hit makes CA One the most recent');
  cache.get(pem(2));
  assert.equal(cache.size, 2);
  assert.equal(cache.get(pem(0)), one, 'CA One was used recently and stays');
  assert.notEqual(cache.get(pem(1)), two, 'CA Two was the oldest and was rebuilt');
  assert.equal(cache.size, 2);
});
