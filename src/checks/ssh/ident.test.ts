import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findIdent } from './ident.ts';

test('finds the identification line, after greeting lines too', () => {
  assert.deepEqual(findIdent('SSH-2.0-OpenSSH_9.6p1 Debian-3\r\n'), {
    line: 'SSH-2.0-OpenSSH_9.6p1 Debian-3',
    protocol: '2.0',
    software: 'OpenSSH_9.6p1',
  });
  const greeted = findIdent('Welcome\r\nauthorised use only\nSSH-2.0-dropbear_2022.83\n');
  assert.ok('line' in greeted && greeted.line === 'SSH-2.0-dropbear_2022.83');
});

test('waits for a line end, and gives up on what cannot be SSH', () => {
  assert.deepEqual(findIdent('SSH-2.0-Open'), { status: 'incomplete' });
  assert.deepEqual(findIdent(''), { status: 'incomplete' });
  assert.deepEqual(findIdent('SSH-garbage\r\n'), {
    status: 'invalid',
    reason: 'malformed SSH identification line',
  });
  assert.deepEqual(findIdent(`SSH-2.0-${'x'.repeat(300)}`), {
    status: 'invalid',
    reason: 'no SSH identification line',
  });
  assert.deepEqual(findIdent('x'.repeat(9000)), {
    status: 'invalid',
    reason: 'no SSH identification line',
  });
});
