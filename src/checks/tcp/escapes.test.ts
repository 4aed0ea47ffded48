import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEscapes } from './escapes.ts';

test('decodes the escapes typed on a command line', () => {
  assert.equal(decodeEscapes('PING\\r\\n'), 'PING\r\n');
  assert.equal(decodeEscapes('a\\tb\\nc'), 'a\tb\nc');
  assert.equal(decodeEscapes('\\x41\\x7e\\0'), 'A~\0');
  assert.equal(decodeEscapes('back\\\\slash'), 'back\\slash');
});

test('keeps unknown escapes and real control characters as they are', () => {
  assert.equal(decodeEscapes('\\q\\x4'), '\\q\\x4');
  assert.equal(decodeEscapes('already\r\n'), 'already\r\n');
  assert.equal(decodeEscapes('\\\\n'), '\\n');
});
