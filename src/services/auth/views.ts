import type { ApiToken, User, UserKind } from '../../domain/auth.ts';
import type { Principal, Role } from '../../domain/principal.ts';

/** A user as clients see it: no password hash, no TOTP secret. */
export interface UserView {
  id: string;
  name: string;
  role: Role;
  kind: UserKind;
  /** True once a TOTP second factor is confirmed. */
  totp: boolean;
  createdAt: number;
  disabledAt: number | null;
}

/** A token as clients see it: never the token nor its hash. */
export interface TokenView {
  id: string;
  userId: string;
  name: string;
  access: 'read' | 'write';
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export function userView(user: User): UserView {
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    kind: user.kind,
    totp: user.totpConfirmedAt !== null,
    createdAt: user.createdAt,
    disabledAt: user.disabledAt,
  };
}

export function tokenView(token: ApiToken): TokenView {
  return {
    id: token.id,
    userId: token.userId,
    name: token.name,
    access: token.access,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    revokedAt: token.revokedAt,
  };
}

/** The principal a user acts as with a credential of this access. */
export function principalFor(
  user: User,
  access: 'read' | 'write',
  credential: 'session' | 'token',
): Principal {
  const via = credential === 'session' ? 'session' : user.kind === 'person' ? 'token' : user.kind;
  return { userId: user.id, name: user.name, role: user.role, access, via };
}
