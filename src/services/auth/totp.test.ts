import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTotpEnrolment, totpCode, totpStep } from './totp.ts';
import { createTotpGuard } from './totp-guard.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 10);

describe('TOTP', () => {
  it('enrolment gives a base32 secret and an otpauth URI naming the user', () => {
    const { secret, uri } = newTotpEnrolment('alice');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.ok(uri.startsWith('otpauth://totp/Crosscheck:alice?'));
    assert.ok(uri.includes(`secret=${secret}`));
  });

  it('accepts the current code and one step of drift, nothing further', () => {
    const { secret } = newTotpEnrolment('alice');
    assert.notEqual(totpStep(secret, totpCode(secret, T0), T0), null);
    assert.notEqual(totpStep(secret, totpCode(secret, T0 - 30_000), T0), null);
    assert.equal(totpStep(secret, totpCode(secret, T0 - 90_000), T0), null);
    assert.equal(totpStep(secret, 'abcdef', T0), null);
  });

  it('the guard accepts a code once', () => {
    const { secret } = newTotpEnrolment('alice');
    const guard = createTotpGuard();
    const code = totpCode(secret, T0);
    assert.equal(guard.accept('u1', secret, code, T0), true);
    assert.equal(guard.accept('u1', secret, code, T0 + 1_000), false);
    assert.equal(guard.accept('u1', secret, totpCode(secret, T0 + 30_000), T0 + 30_000), true);
  });
});
