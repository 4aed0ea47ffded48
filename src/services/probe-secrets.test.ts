import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSecrets, maskText } from './probe-secrets.ts';

describe('checkSecrets and maskText', () => {
  it('finds what the check type masks, the credential without its scheme, longest first', () => {
    const secrets = checkSecrets('http', 'http://127.0.0.1/', {
      headers: { Authorization: 'Bearer abc-123-xyz', 'X-Api-Key': 'k3y-value', Accept: 'x/y' },
    });
    assert.deepEqual(secrets, ['Bearer abc-123-xyz', 'abc-123-xyz', 'k3y-value']);
    assert.equal(
      maskText('sent Bearer abc-123-xyz, then abc-123-xyz and k3y-value', secrets),
      'sent ***, then *** and ***',
    );
  });

  it('finds a target URL password; nothing for a check type without secrets', () => {
    assert.deepEqual(checkSecrets('http', 'http://ada:pa%24%24word@127.0.0.1/', { headers: {} }), [
      'pa$$word',
    ]);
    assert.deepEqual(checkSecrets('tcp', '127.0.0.1:22', {}), []);
  });

  it('leaves short values alone (masking them everywhere would garble messages)', () => {
    assert.deepEqual(checkSecrets('http', 'http://127.0.0.1/', { headers: { 'X-A': 'ab' } }), []);
  });
});
