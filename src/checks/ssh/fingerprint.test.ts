import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostKeyType, parseFingerprint, sha256Fingerprint } from './fingerprint.ts';

// A public key and the fingerprint `ssh-keygen -lf` printed for it.
const PUBLIC_KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOpcWpHdPGQF2KGf8vbKEcDlIF1xtuNpZ3qs0N2cxS83';
const KEYGEN_FINGERPRINT = 'SHA256:w+Y6FR0kSeT2PSX65iyIHi/RPm3E91cLhPHL3Gjt4A0';

test('formats a key blob as ssh-keygen does: SHA256: and unpadded base64', () => {
  const blob = Buffer.from(PUBLIC_KEY, 'base64');
  assert.equal(sha256Fingerprint(blob), KEYGEN_FINGERPRINT);
  assert.equal(hostKeyType(blob), 'ssh-ed25519');
  assert.equal(hostKeyType(Buffer.from([0, 0, 0, 9, 1])), undefined, 'truncated blob');
});

test('normalises pinned fingerprints', () => {
  assert.equal(parseFingerprint(KEYGEN_FINGERPRINT), KEYGEN_FINGERPRINT);
  assert.equal(parseFingerprint(` sha256:${KEYGEN_FINGERPRINT.slice(7)}= `), KEYGEN_FINGERPRINT);
});

test('explains what is wrong with a fingerprint', () => {
  const cases: [string, RegExp][] = [
    ['MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48', /MD5 fingerprints are not accepted/],
    ['16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48', /MD5 fingerprints are not accepted/],
    ['SHA256:tooShort', /43 base64 characters/],
    [`SHA256:${'A'.repeat(42)}B`, /43 base64 characters/],
    ['w+Y6FR0kSeT2PSX65iyIHi/RPm3E91cLhPHL3Gjt4A0', /is not a SHA256:… fingerprint/],
  ];
  for (const [input, reason] of cases) {
    const parsed = parseFingerprint(input);
    assert.ok(typeof parsed === 'object', `${input} should be rejected`);
    assert.match(parsed.error, reason, input);
  }
});
