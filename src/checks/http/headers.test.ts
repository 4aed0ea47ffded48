import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHeaders } from './headers.ts';

test('splits "Name: value" lines at the first colon and trims', () => {
  assert.deepEqual(parseHeaders(['Authorization: Bearer a:b', 'X-Empty:']), {
    Authorization: 'Bearer a:b',
    'X-Empty': '',
  });
});

test('accepts a stored record as is', () => {
  assert.deepEqual(parseHeaders({ Accept: 'application/json' }), { Accept: 'application/json' });
});

test('rejects lines without a name, bad names, managed headers and line breaks', () => {
  assert.match(parseHeaders(['no colon here']) as string, /not a header of the form/);
  assert.match(parseHeaders([': value']) as string, /not a header of the form/);
  assert.match(parseHeaders(['Bad Name: x']) as string, /"Bad Name" is not a valid header name/);
  assert.match(parseHeaders(['Content-Length: 5']) as string, /managed by the client/);
  assert.match(parseHeaders({ 'X-A': 'a\r\nInjected: 1' }) as string, /line break/);
});
