import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DECOY_HASH, hashPassword, verifyPassword } from './password.ts';

describe('argon2id passwords', () => {
  it('hashes to a PHC string with salt and parameters, and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(await verifyPassword('correct horse battery', hash), true);
    assert.equal(await verifyPassword('correct horse batterY', hash), false);
  });

  it('salts every hash', async () => {
    assert.notEqual(await hashPassword('same password'), await hashPassword('same password'));
  });

  it('refuses hashes it did not write, or with absurd costs, instead of computing them', async () => {
    assert.equal(await verifyPassword('x', 'plain'), false);
    assert.equal(
      await verifyPassword('x', '$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaA'),
      false,
    );
    assert.equal(await verifyPassword('x', DECOY_HASH), false);
  });
});
