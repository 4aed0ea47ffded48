import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { ApiToken, Session, User } from '../../domain/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import { systemClock } from '../../lib/clock.ts';
import type { Store } from '../../store/types.ts';
import { createAuthenticator } from './authenticate.ts';
import { hashSecret } from './secrets.ts';

const NOW = Date.UTC(2026, 0, 1);
const clock: Clock = { ...systemClock, now: () => NOW };

const user: User = {
  id: 'usr-1',
  name: 'ada',
  role: 'admin',
  kind: 'person',
  passwordHash: null,
  totpSecret: null,
  totpConfirmedAt: null,
  createdAt: 0,
  disabledAt: null,
};

const token: ApiToken = {
  id: 'tok-1',
  userId: user.id,
  name: 'ci',
  tokenHash: hashSecret('secret-token'),
  access: 'write',
  createdAt: 0,
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
};

const session: Session = {
  idHash: hashSecret('session-id'),
  userId: user.id,
  csrfHash: hashSecret('csrf'),
  createdAt: NOW - 1_000,
  expiresAt: NOW + 3_600_000,
  lastSeenAt: NOW - 3_600_000 / 2,
};

/**
 * The reads an authenticator makes, answered at once, and last-use writes that wait like a
 * store whose writer a long transaction holds: each touch settles only when the test says.
 */
function storeWithHeldWriter(touch: () => Promise<void>) {
  const touches: string[] = [];
  const store = {
    findApiToken: (hash: string) => Promise.resolve(hash === token.tokenHash ? token : undefined),
    getSession: (idHash: string) =>
      Promise.resolve(idHash === session.idHash ? session : undefined),
    getUser: () => Promise.resolve(user),
    touchApiToken: (id: string) => {
      touches.push(id);
      return touch();
    },
    touchSession: (idHash: string) => {
      touches.push(idHash);
      return touch();
    },
  } as unknown as Store;
  return { store, touches };
}

function authenticator(store: Store, lines: string[] = []) {
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
  return createAuthenticator({ store, clock, logger, newId: (prefix) => `${prefix}-new` });
}

describe('authenticator: last-use times', () => {
  it('answers while the last-use write waits, and writes once per credential at a time', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { store, touches } = storeWithHeldWriter(() => held);
    const auth = authenticator(store);

    for (let i = 0; i < 3; i++) {
      const principal = await auth.authenticateToken('secret-token');
      assert.equal(principal.userId, user.id);
      await auth.authenticateSession('session-id');
    }
    assert.deepEqual(touches, [token.id, session.idHash]);

    release();
    await held;
    await new Promise((resolve) => setImmediate(resolve));
    await auth.authenticateToken('secret-token');
    assert.deepEqual(touches, [token.id, session.idHash, token.id], 'touched again once settled');
  });

  it('logs a failed last-use write and still answers', async () => {
    const lines: string[] = [];
    const { store } = storeWithHeldWriter(() => Promise.reject(new Error('disk full')));
    const auth = authenticator(store, lines);
    assert.equal((await auth.authenticateToken('secret-token')).userId, user.id);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /recording the last use failed/);
    assert.match(lines[0] ?? '', /disk full/);
  });
});
