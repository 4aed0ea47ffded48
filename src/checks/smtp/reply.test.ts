import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { authMechanisms, ehloKeywords, parseReplyLine, plainCredentials } from './reply.ts';

describe('smtp reply lines', () => {
  it('splits code, continuation and text', () => {
    assert.deepEqual(parseReplyLine('250-PIPELINING'), {
      code: 250,
      last: false,
      text: 'PIPELINING',
    });
    assert.deepEqual(parseReplyLine('250 OK'), { code: 250, last: true, text: 'OK' });
    assert.deepEqual(parseReplyLine('220'), { code: 220, last: true, text: '' });
  });

  it('rejects what is not a reply line', () => {
    for (const line of ['', 'SSH-2.0-OpenSSH', '* OK IMAP', '+OK', '2500 x', '650 x', '25 x'])
      assert.equal(parseReplyLine(line), undefined, line);
  });

  it('reads back any code and text it is given', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 599 }),
        fc.boolean(),
        fc.string(),
        (code, last, text) => {
          const parsed = parseReplyLine(`${code}${last ? ' ' : '-'}${text}`);
          assert.deepEqual(parsed, { code, last, text });
        },
      ),
    );
  });
});

describe('smtp EHLO capabilities', () => {
  const ehlo = {
    code: 250,
    lines: [
      'mx.example greets you',
      'PIPELINING',
      'starttls',
      'AUTH PLAIN login',
      'AUTH=CRAM-MD5',
      'SIZE 1000',
    ],
  };

  it('lists the keywords upper-cased, without the greeting line', () => {
    assert.deepEqual(ehloKeywords(ehlo), [
      'PIPELINING',
      'STARTTLS',
      'AUTH',
      'AUTH=CRAM-MD5',
      'SIZE',
    ]);
  });

  it('collects the AUTH mechanisms of both forms', () => {
    assert.deepEqual(authMechanisms(ehlo), ['PLAIN', 'LOGIN', 'CRAM-MD5']);
    assert.deepEqual(authMechanisms({ code: 250, lines: ['hi'] }), []);
  });

  it('encodes PLAIN credentials as NUL user NUL password', () => {
    assert.equal(
      Buffer.from(plainCredentials('probe', 'pässword'), 'base64').toString('utf8'),
      '\0probe\0pässword',
    );
  });
});
