import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { capabilitiesIn, parseCompletion, parseGreeting, quoted } from './response.ts';

describe('imap responses', () => {
  it('reads the greeting condition', () => {
    assert.equal(parseGreeting('* OK [CAPABILITY IMAP4rev1] Dovecot ready.'), 'OK');
    assert.equal(parseGreeting('* preauth welcome'), 'PREAUTH');
    assert.equal(parseGreeting('* BYE too many connections'), 'BYE');
    assert.equal(parseGreeting('+OK POP3 ready'), undefined);
    assert.equal(parseGreeting('220 smtp'), undefined);
  });

  it('reads only the completion of its own tag', () => {
    assert.deepEqual(parseCompletion('a2', 'a2 NO [AUTHENTICATIONFAILED] Authentication failed.'), {
      status: 'NO',
      text: '[AUTHENTICATIONFAILED] Authentication failed.',
    });
    assert.deepEqual(parseCompletion('a1', 'a1 OK'), { status: 'OK', text: '' });
    assert.equal(parseCompletion('a1', 'a10 OK done'), undefined);
    assert.equal(parseCompletion('a1', '* CAPABILITY IMAP4rev1'), undefined);
    assert.equal(parseCompletion('a1', 'a1 MAYBE'), undefined);
  });

  it('finds capabilities in untagged lines and response codes', () => {
    assert.deepEqual(capabilitiesIn('* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED'), [
      'IMAP4REV1',
      'STARTTLS',
      'LOGINDISABLED',
    ]);
    assert.deepEqual(capabilitiesIn('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready'), [
      'IMAP4REV1',
      'AUTH=PLAIN',
    ]);
    assert.equal(capabilitiesIn('* OK ready'), undefined);
  });

  it('quotes any text so that unescaping gives it back', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const out = quoted(text);
        assert.ok(out.startsWith('"') && out.endsWith('"'));
        assert.equal(out.slice(1, -1).replace(/\\(.)/gs, '$1'), text);
      }),
    );
  });
});
