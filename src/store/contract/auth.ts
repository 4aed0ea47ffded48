// node:test's it() returns a promise that the runner itself tracks; nothing to await here.
/* eslint-disable @typescript-eslint/no-floating-promises */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ApiToken, Session, User } from '../../domain/auth.ts';
import type { MakeStore } from './fixtures.ts';
import { MINUTE, T0, rejectsWithCode, withStore } from './fixtures.ts';

/** A person with every field set. */
export function makeUser(id: string, overrides: Partial<User> = {}): User {
  return {
    id,
    name: `user-${id}`,
    role: 'editor',
    kind: 'person',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    totpSecret: null,
    totpConfirmedAt: null,
    createdAt: T0,
    disabledAt: null,
    ...overrides,
  };
}

function makeToken(id: string, userId: string, overrides: Partial<ApiToken> = {}): ApiToken {
  return {
    id,
    userId,
    name: `token ${id}`,
    tokenHash: `hash-${id}`,
    access: 'write',
    createdAt: T0,
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

function makeSession(idHash: string, userId: string): Session {
  return {
    idHash,
    userId,
    csrfHash: `csrf-${idHash}`,
    createdAt: T0,
    expiresAt: T0 + 60 * MINUTE,
    lastSeenAt: T0,
  };
}

/** Users, API tokens and sessions. */
export function authContract(makeStore: MakeStore): void {
  it('stores users with unique names and applies patches', () =>
    withStore(makeStore, async (store) => {
      await store.insertUser(makeUser('u1'));
      await store.insertUser(makeUser('u2', { name: 'alice', kind: 'local', passwordHash: null }));
      await rejectsWithCode(store.insertUser(makeUser('u3', { name: 'alice' })), 'CONFLICT');
      await rejectsWithCode(store.insertUser(makeUser('u1', { name: 'other' })), 'CONFLICT');
      assert.deepEqual(await store.getUser('u1'), makeUser('u1'));
      assert.deepEqual(
        await store.getUserByName('alice'),
        makeUser('u2', { name: 'alice', kind: 'local', passwordHash: null }),
      );
      assert.deepEqual(
        (await store.listUsers()).map((u) => u.name),
        ['alice', 'user-u1'],
      );
      const patched = await store.updateUser('u1', {
        role: 'admin',
        disabledAt: T0 + MINUTE,
        totpSecret: 'JBSWY3DPEHPK3PXP',
        totpConfirmedAt: T0 + 2 * MINUTE,
      });
      assert.deepEqual(
        patched,
        makeUser('u1', {
          role: 'admin',
          disabledAt: T0 + MINUTE,
          totpSecret: 'JBSWY3DPEHPK3PXP',
          totpConfirmedAt: T0 + 2 * MINUTE,
        }),
      );
      await rejectsWithCode(store.updateUser('nope', { role: 'viewer' }), 'NOT_FOUND');
    }));

  it('inserts the first admin only while no admin person exists', () =>
    withStore(makeStore, async (store) => {
      await store.insertUser(
        makeUser('local', { name: 'local-admin', kind: 'local', role: 'admin' }),
      );
      await store.insertFirstAdmin(makeUser('a1', { role: 'admin' }));
      await rejectsWithCode(store.insertFirstAdmin(makeUser('a2', { role: 'admin' })), 'CONFLICT');
      assert.equal(await store.getUser('a2'), undefined);
    }));

  it('finds tokens by hash, lists them newest first, revokes and touches them', () =>
    withStore(makeStore, async (store) => {
      await store.insertUser(makeUser('u1'));
      await store.insertUser(makeUser('u2'));
      await store.insertApiToken(makeToken('t1', 'u1'));
      await store.insertApiToken(
        makeToken('t2', 'u1', {
          createdAt: T0 + MINUTE,
          access: 'read',
          expiresAt: T0 + 9 * MINUTE,
        }),
      );
      await store.insertApiToken(makeToken('t3', 'u2'));
      assert.deepEqual(
        await store.findApiToken('hash-t2'),
        makeToken('t2', 'u1', {
          createdAt: T0 + MINUTE,
          access: 'read',
          expiresAt: T0 + 9 * MINUTE,
        }),
      );
      assert.equal(await store.findApiToken('hash-none'), undefined);
      assert.deepEqual(
        (await store.listApiTokens({ userId: 'u1' })).map((t) => t.id),
        ['t2', 't1'],
      );
      assert.equal((await store.listApiTokens()).length, 3);
      assert.equal(await store.revokeApiTokens({ id: 't1' }, T0 + 2 * MINUTE), 1);
      assert.equal(await store.revokeApiTokens({ id: 't1' }, T0 + 3 * MINUTE), 0);
      assert.equal((await store.getApiToken('t1'))?.revokedAt, T0 + 2 * MINUTE);
      assert.equal(await store.revokeApiTokens({ userId: 'u1' }, T0 + 4 * MINUTE), 1);
      assert.equal((await store.getApiToken('t3'))?.revokedAt, null);
      await store.touchApiToken('t3', T0 + 5 * MINUTE);
      assert.equal((await store.getApiToken('t3'))?.lastUsedAt, T0 + 5 * MINUTE);
    }));

  it('keeps sessions until deleted; deleting a user takes its tokens and sessions', () =>
    withStore(makeStore, async (store) => {
      await store.insertUser(makeUser('u1'));
      await store.insertSession(makeSession('s1', 'u1'));
      await store.insertSession({ ...makeSession('s2', 'u1'), expiresAt: T0 + MINUTE });
      await store.insertApiToken(makeToken('t1', 'u1'));
      assert.deepEqual(await store.getSession('s1'), makeSession('s1', 'u1'));
      await store.touchSession('s1', T0 + 7 * MINUTE);
      assert.equal((await store.getSession('s1'))?.lastSeenAt, T0 + 7 * MINUTE);
      assert.equal(await store.deleteSessions({ expiresBefore: T0 + 2 * MINUTE }), 1);
      assert.equal(await store.getSession('s2'), undefined);
      assert.equal(await store.deleteUser('u1'), true);
      assert.equal(await store.deleteUser('u1'), false);
      assert.equal(await store.getSession('s1'), undefined);
      assert.equal(await store.getApiToken('t1'), undefined);
    }));
}
