import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalValue, checkExpectations } from './expectations.ts';

test('canonical values ignore case, trailing dots, quotes and IPv6 spelling', () => {
  assert.equal(canonicalValue('CNAME', 'Target.Example.TEST.'), 'target.example.test');
  assert.equal(canonicalValue('MX', ' 10   Mail.example.test. '), '10 mail.example.test');
  assert.equal(canonicalValue('CAA', '0 issue "letsencrypt.org"'), '0 issue letsencrypt.org');
  assert.equal(canonicalValue('AAAA', '2001:0DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(canonicalValue('AAAA', 'not-an-ip'), 'not-an-ip');
  // TXT data is case-sensitive; only surrounding quotes and extra spaces go.
  assert.equal(canonicalValue('TXT', '"Hello  World"'), 'Hello World');
});

test('any: one expected value present is enough', () => {
  const answers = ['192.0.2.1', '192.0.2.2'];
  assert.deepEqual(checkExpectations('A', ['192.0.2.9', '192.0.2.2'], answers, 'any'), {
    ok: true,
    missing: ['192.0.2.9'],
  });
  assert.equal(checkExpectations('A', ['192.0.2.9'], answers, 'any').ok, false);
});

test('all: every expected value must be present', () => {
  const answers = ['10 mx1.example.test', '20 mx2.example.test'];
  assert.equal(
    checkExpectations('MX', ['10 MX1.example.test.', '20 mx2.example.test'], answers, 'all').ok,
    true,
  );
  const partial = checkExpectations(
    'MX',
    ['10 mx1.example.test', '30 mx3.example.test'],
    answers,
    'all',
  );
  assert.deepEqual(partial, { ok: false, missing: ['30 mx3.example.test'] });
});

test('no expectations always pass', () => {
  assert.equal(checkExpectations('A', [], ['192.0.2.1'], 'all').ok, true);
  assert.equal(checkExpectations('A', [], [], 'any').ok, true);
});
