import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { capaNames, multiLineItem, parseStatus } from './response.ts';

describe('pop3 responses', () => {
  it('reads +OK and -ERR status lines', () => {
    assert.deepEqual(parseStatus('+OK Dovecot ready.'), { ok: true, text: 'Dovecot ready.' });
    assert.deepEqual(parseStatus('-ERR [AUTH] Authentication failed.'), {
      ok: false,
      text: '[AUTH] Authentication failed.',
    });
    assert.deepEqual(parseStatus('+OK'), { ok: true, text: '' });
    for (const line of ['* OK imap', '220 smtp', 'OK', '+OKAY'])
      assert.equal(parseStatus(line), undefined, line);
  });

  it('ends a multi-line response at the lone dot and unstuffs the others', () => {
    assert.deepEqual(multiLineItem('.'), { done: true });
    assert.deepEqual(multiLineItem('..hidden'), { done: false, text: '.hidden' });
    assert.deepEqual(multiLineItem('STLS'), { done: false, text: 'STLS' });
  });

  it('unstuffing gives back any line a server stuffed', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const stuffed = text.startsWith('.') ? `.${text}` : text;
        const item = multiLineItem(stuffed);
        assert.deepEqual(item, { done: false, text });
      }),
    );
  });

  it('lists CAPA names', () => {
    assert.deepEqual(capaNames(['TOP', 'stls', 'SASL PLAIN LOGIN', 'USER', '']), [
      'TOP',
      'STLS',
      'SASL',
      'USER',
    ]);
  });
});
