import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SESSION_POLICY, sessionLive, shouldTouch, tokenState } from './expiry.ts';

const T0 = Date.UTC(2026, 0, 1);

describe('token and session expiry', () => {
  it('a token is usable until its expiry, then expired; revoked wins', () => {
    const token = { revokedAt: null, expiresAt: T0 + 1_000 };
    assert.equal(tokenState(token, T0 + 999), 'usable');
    assert.equal(tokenState(token, T0 + 1_000), 'expired');
    assert.equal(tokenState({ ...token, revokedAt: T0 }, T0 + 1_000), 'revoked');
    assert.equal(
      tokenState({ revokedAt: null, expiresAt: null }, Number.MAX_SAFE_INTEGER),
      'usable',
    );
  });

  it('a session ends when idle too long or past its absolute end, whichever first', () => {
    const session = { expiresAt: T0 + SESSION_POLICY.absoluteMs, lastSeenAt: T0 };
    assert.equal(sessionLive(session, T0 + SESSION_POLICY.idleMs - 1, SESSION_POLICY), true);
    assert.equal(sessionLive(session, T0 + SESSION_POLICY.idleMs, SESSION_POLICY), false);
    const busy = { ...session, lastSeenAt: session.expiresAt - 1 };
    assert.equal(sessionLive(busy, session.expiresAt, SESSION_POLICY), false);
  });

  it('property: a live session was seen within the idle window and has not reached its end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        (lastSeenOffset, endOffset, nowOffset) => {
          const session = { lastSeenAt: T0 + lastSeenOffset, expiresAt: T0 + endOffset };
          const now = T0 + nowOffset;
          const live = sessionLive(session, now, SESSION_POLICY);
          assert.equal(
            live,
            now < session.expiresAt && now - session.lastSeenAt < SESSION_POLICY.idleMs,
          );
        },
      ),
    );
  });

  it('records a use only when the last record is old enough', () => {
    assert.equal(shouldTouch(null, T0, 60_000), true);
    assert.equal(shouldTouch(T0, T0 + 59_999, 60_000), false);
    assert.equal(shouldTouch(T0, T0 + 60_000, 60_000), true);
  });
});
