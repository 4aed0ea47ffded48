import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeTlsCode, describeTlsError, isChainTrustCode } from './describe-error.ts';

function codeError(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(code), { code, ...extra });
}

test('names the common verification failures', () => {
  assert.equal(
    describeTlsError(codeError('CERT_HAS_EXPIRED')),
    'TLS error: certificate has expired (CERT_HAS_EXPIRED)',
  );
  assert.equal(describeTlsCode('DEPTH_ZERO_SELF_SIGNED_CERT'), 'self-signed certificate');
  assert.equal(
    describeTlsError(codeError('ERR_SSL_WRONG_VERSION_NUMBER')),
    'TLS error: ERR_SSL_WRONG_VERSION_NUMBER',
  );
});

test('hostname mismatches name the host and the certificate names', () => {
  const error = codeError('ERR_TLS_CERT_ALTNAME_INVALID', {
    host: 'a.test',
    cert: { subjectaltname: 'DNS:b.test' },
  });
  assert.equal(
    describeTlsError(error),
    "TLS error: hostname mismatch: a.test is not in the certificate's names (DNS:b.test)",
  );
});

test('only chain-trust codes are ignorable', () => {
  assert.equal(isChainTrustCode('SELF_SIGNED_CERT_IN_CHAIN'), true);
  assert.equal(isChainTrustCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), true);
  assert.equal(isChainTrustCode('CERT_HAS_EXPIRED'), false);
  assert.equal(isChainTrustCode('CERT_SIGNATURE_FAILURE'), false);
});
