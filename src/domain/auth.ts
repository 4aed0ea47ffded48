import type { Role } from './principal.ts';

/**
 * Who a user is: a person signs in with a password; `local` is the built-in admin behind the
 * data dir's token file; `node` is an agent's service user (its operator token acts for it).
 */
export type UserKind = 'person' | 'local' | 'node';

/** A stored user. Secrets (password hash, TOTP secret) never leave the auth service. */
export interface User {
  id: string;
  name: string;
  role: Role;
  kind: UserKind;
  /** argon2id, PHC-style encoded; null for users that never sign in with a password. */
  passwordHash: string | null;
  /** Base32 TOTP secret; set at enrolment, in force once `totpConfirmedAt` is set. */
  totpSecret: string | null;
  totpConfirmedAt: number | null;
  createdAt: number;
  disabledAt: number | null;
}

/** A stored API token: only the SHA-256 of the token is kept. */
export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  access: 'read' | 'write';
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** A stored browser session: the cookie and CSRF values are kept as SHA-256 hashes. */
export interface Session {
  idHash: string;
  userId: string;
  csrfHash: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
}

/** The fields of a user an admin (or the user, for TOTP) may change. */
export interface UserPatch {
  role?: Role;
  disabledAt?: number | null;
  passwordHash?: string | null;
  totpSecret?: string | null;
  totpConfirmedAt?: number | null;
}
