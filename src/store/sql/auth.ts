import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ApiToken, Session, User, UserPatch } from '../../domain/auth.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { oneOf } from './json-column.ts';
import type { ApiTokensTable, Database, SessionsTable, UsersTable } from './schema.ts';

const ROLES = ['viewer', 'editor', 'admin'] as const;
const KINDS = ['person', 'local', 'node'] as const;
const ACCESS = ['read', 'write'] as const;

const num = (value: number | null): number | null => (value === null ? null : Number(value));

function userToRow(u: User): Insertable<UsersTable> {
  return {
    id: u.id,
    name: u.name,
    role: u.role,
    kind: u.kind,
    password_hash: u.passwordHash,
    totp_secret: u.totpSecret,
    totp_confirmed_at: u.totpConfirmedAt,
    created_at: u.createdAt,
    disabled_at: u.disabledAt,
  };
}

function rowToUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    name: row.name,
    role: oneOf(row.role, ROLES, { table: 'users', column: 'role' }),
    kind: oneOf(row.kind, KINDS, { table: 'users', column: 'kind' }),
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    totpConfirmedAt: num(row.totp_confirmed_at),
    createdAt: Number(row.created_at),
    disabledAt: num(row.disabled_at),
  };
}

function rowToToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    tokenHash: row.token_hash,
    access: oneOf(row.access, ACCESS, { table: 'api_tokens', column: 'access' }),
    createdAt: Number(row.created_at),
    expiresAt: num(row.expires_at),
    lastUsedAt: num(row.last_used_at),
    revokedAt: num(row.revoked_at),
  };
}

function rowToSession(row: Selectable<SessionsTable>): Session {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    csrfHash: row.csrf_hash,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    lastSeenAt: Number(row.last_seen_at),
  };
}

async function assertUserFree(db: Kysely<Database>, user: User): Promise<void> {
  const taken = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where((eb) => eb.or([eb('id', '=', user.id), eb('name', '=', user.name)]))
    .executeTakeFirst();
  if (taken !== undefined) {
    throw new AppError(
      'CONFLICT',
      taken.name === user.name
        ? `a user named ${user.name} already exists`
        : `user ${user.id} already exists`,
    );
  }
}

/** Inserts a user; CONFLICT when the id or name is taken. */
export async function insertUser(db: Kysely<Database>, user: User): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await assertUserFree(trx, user);
    await trx.insertInto('users').values(userToRow(user)).execute();
  });
}

/**
 * Inserts the first admin person in one transaction with the check that there is none yet, so
 * two setups racing cannot both succeed.
 */
export async function insertFirstAdmin(db: Kysely<Database>, user: User): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const admin = await trx
      .selectFrom('users')
      .select('id')
      .where('kind', '=', 'person')
      .where('role', '=', 'admin')
      .executeTakeFirst();
    if (admin !== undefined) throw new AppError('CONFLICT', 'an admin user already exists');
    await assertUserFree(trx, user);
    await trx.insertInto('users').values(userToRow(user)).execute();
  });
}

export async function getUser(
  db: Kysely<Database>,
  by: { id: string } | { name: string },
): Promise<User | undefined> {
  const query = db.selectFrom('users').selectAll();
  const row = await (
    'id' in by ? query.where('id', '=', by.id) : query.where('name', '=', by.name)
  ).executeTakeFirst();
  return row === undefined ? undefined : rowToUser(row);
}

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('name').execute();
  return rows.map(rowToUser);
}

/** Applies a patch; NOT_FOUND when the user does not exist. */
export async function updateUser(
  db: Kysely<Database>,
  id: string,
  patch: UserPatch,
): Promise<User> {
  const set: Partial<Insertable<UsersTable>> = {
    ...(patch.role === undefined ? {} : { role: patch.role }),
    ...(patch.disabledAt === undefined ? {} : { disabled_at: patch.disabledAt }),
    ...(patch.passwordHash === undefined ? {} : { password_hash: patch.passwordHash }),
    ...(patch.totpSecret === undefined ? {} : { totp_secret: patch.totpSecret }),
    ...(patch.totpConfirmedAt === undefined ? {} : { totp_confirmed_at: patch.totpConfirmedAt }),
  };
  return db.transaction().execute(async (trx) => {
    if (Object.keys(set).length > 0)
      await trx.updateTable('users').set(set).where('id', '=', id).execute();
    const user = await getUser(trx, { id });
    if (user === undefined) throw notFound('user', id);
    return user;
  });
}

/** Deletes a user with its tokens and sessions (explicitly: not every backend cascades). */
export async function deleteUser(db: Kysely<Database>, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('api_tokens').where('user_id', '=', id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    const deleted = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  });
}

export async function insertApiToken(db: Kysely<Database>, t: ApiToken): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: t.id,
      user_id: t.userId,
      name: t.name,
      token_hash: t.tokenHash,
      access: t.access,
      created_at: t.createdAt,
      expires_at: t.expiresAt,
      last_used_at: t.lastUsedAt,
      revoked_at: t.revokedAt,
    })
    .execute();
}

export async function getApiToken(
  db: Kysely<Database>,
  by: { id: string } | { tokenHash: string },
): Promise<ApiToken | undefined> {
  const query = db.selectFrom('api_tokens').selectAll();
  const row = await (
    'id' in by ? query.where('id', '=', by.id) : query.where('token_hash', '=', by.tokenHash)
  ).executeTakeFirst();
  return row === undefined ? undefined : rowToToken(row);
}

/** Newest first (then id); one user's when `userId` is given. */
export async function listApiTokens(
  db: Kysely<Database>,
  userId: string | undefined,
): Promise<ApiToken[]> {
  let query = db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  return (await query.execute()).map(rowToToken);
}

/** Revokes tokens not yet revoked (one by id, or all of a user); returns how many. */
export async function revokeApiTokens(
  db: Kysely<Database>,
  which: { id: string } | { userId: string },
  at: number,
): Promise<number> {
  const query = db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('revoked_at', 'is', null);
  const result = await (
    'id' in which ? query.where('id', '=', which.id) : query.where('user_id', '=', which.userId)
  ).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function touchApiToken(db: Kysely<Database>, id: string, at: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function insertSession(db: Kysely<Database>, s: Session): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      csrf_hash: s.csrfHash,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
      last_seen_at: s.lastSeenAt,
    })
    .execute();
}

export async function getSession(
  db: Kysely<Database>,
  idHash: string,
): Promise<Session | undefined> {
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  return row === undefined ? undefined : rowToSession(row);
}

export async function touchSession(
  db: Kysely<Database>,
  idHash: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: at })
    .where('id_hash', '=', idHash)
    .execute();
}

/** Deletes one session, every session of a user, or every session expiring before a time. */
export async function deleteSessions(
  db: Kysely<Database>,
  which: { idHash: string } | { userId: string } | { expiresBefore: number },
): Promise<number> {
  const query = db.deleteFrom('sessions');
  const filtered =
    'idHash' in which
      ? query.where('id_hash', '=', which.idHash)
      : 'userId' in which
        ? query.where('user_id', '=', which.userId)
        : query.where('expires_at', '<', which.expiresBefore);
  const result = await filtered.executeTakeFirst();
  return Number(result.numDeletedRows);
}
