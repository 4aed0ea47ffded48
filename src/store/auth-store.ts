import type { ApiToken, Session, User, UserPatch } from '../domain/auth.ts';

/** Users, API tokens and sessions: the part of the store contract the auth service uses. */
export interface AuthStore {
  /** CONFLICT when the id or name is taken. */
  insertUser(user: User): Promise<void>;
  /**
   * Inserts the first admin person, atomically with the check that none exists (CONFLICT
   * otherwise), so two setups racing cannot both win.
   */
  insertFirstAdmin(user: User): Promise<void>;
  getUser(id: string): Promise<User | undefined>;
  getUserByName(name: string): Promise<User | undefined>;
  /** Ordered by name. */
  listUsers(): Promise<User[]>;
  /** Applies the given fields; NOT_FOUND when absent. Returns the user as stored. */
  updateUser(id: string, patch: UserPatch): Promise<User>;
  /** Deletes the user with its tokens and sessions; false when absent. */
  deleteUser(id: string): Promise<boolean>;

  insertApiToken(token: ApiToken): Promise<void>;
  getApiToken(id: string): Promise<ApiToken | undefined>;
  /** The token whose SHA-256 is `tokenHash` (revoked and expired ones included). */
  findApiToken(tokenHash: string): Promise<ApiToken | undefined>;
  /** Newest first; one user's when `userId` is given. */
  listApiTokens(filter?: { userId?: string }): Promise<ApiToken[]>;
  /** Revokes tokens not yet revoked (one by id, or every one of a user); returns how many. */
  revokeApiTokens(which: { id: string } | { userId: string }, at: number): Promise<number>;
  touchApiToken(id: string, at: number): Promise<void>;

  insertSession(session: Session): Promise<void>;
  getSession(idHash: string): Promise<Session | undefined>;
  touchSession(idHash: string, at: number): Promise<void>;
  /** Deletes one session, every one of a user, or every one expiring before a time; returns how many. */
  deleteSessions(
    which: { idHash: string } | { userId: string } | { expiresBefore: number },
  ): Promise<number>;
}
