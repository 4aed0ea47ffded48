import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../lib/errors.ts';
import { CA_KEY_REQUEST, parseCaKeyRequest, parseCaKeyResponse } from './ca-key-protocol.ts';

describe('the CA key exchange lines', () => {
  it('reads the one request it knows and refuses anything else', () => {
    assert.deepEqual(parseCaKeyRequest(JSON.stringify(CA_KEY_REQUEST)), CA_KEY_REQUEST);
    for (const line of ['', 'ca-key', '{}', '{"ask":"ca-key","more":1}', '{"ask":"node-key"}'])
      assert.throws(() => parseCaKeyRequest(line), { code: 'VALIDATION' });
  });

  it('returns the key of an answer, raises a refusal as its code, and an odd answer as UNAVAILABLE', () => {
    assert.equal(parseCaKeyResponse('{"ok":true,"caKeyPem":"PEM"}'), 'PEM');
    assert.throws(
      () => parseCaKeyResponse('{"ok":false,"code":"FORBIDDEN","message":"no"}'),
      (error: unknown) => error instanceof AppError && error.code === 'FORBIDDEN',
    );
    for (const line of ['not json', '{"ok":true}', '{"ok":false,"code":"NOPE","message":""}'])
      assert.throws(() => parseCaKeyResponse(line), { code: 'UNAVAILABLE' });
  });
});
