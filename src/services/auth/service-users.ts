import type { User } from '../../domain/auth.ts';
import type { Role } from '../../domain/principal.ts';
import type { AuthDeps } from './deps.ts';
import type { TokenService } from './tokens.ts';

/** The built-in admin behind the data dir's token file (the local CLI). */
export const LOCAL_ADMIN = 'local-admin';

/** A node's service user: its operator token acts for it. */
export function nodeUserName(nodeId: string): string {
  return `node:${nodeId}`;
}

export interface ServiceUsers {
  /** The local admin user, created on first use. */
  localAdmin(): Promise<User>;
  /** A node's service user with the role chosen at join, and its read-write operator token. */
  createNodeOperator(nodeId: string, role: Role): Promise<string>;
  /** Disables the node's user and revokes its tokens (`node remove`); unknown nodes are ignored. */
  revokeNodeOperator(nodeId: string): Promise<void>;
}

export function createServiceUsers(deps: AuthDeps, tokens: TokenService): ServiceUsers {
  const { store, clock, logger } = deps;

  function serviceUser(name: string, role: Role, kind: 'local' | 'node'): User {
    return {
      id: deps.newId('usr'),
      name,
      role,
      kind,
      passwordHash: null,
      totpSecret: null,
      totpConfirmedAt: null,
      createdAt: clock.now(),
      disabledAt: null,
    };
  }

  return {
    async localAdmin() {
      const existing = await store.getUserByName(LOCAL_ADMIN);
      if (existing !== undefined) return existing;
      const user = serviceUser(LOCAL_ADMIN, 'admin', 'local');
      await store.insertUser(user);
      logger.info({ userId: user.id }, 'auth: built-in local admin created');
      return user;
    },

    async createNodeOperator(nodeId, role) {
      const user = serviceUser(nodeUserName(nodeId), role, 'node');
      await store.insertUser(user);
      const created = await tokens.issueToken(user.id, {
        name: `operator token of node ${nodeId}`,
        access: 'write',
        expiresAt: null,
      });
      return created.token;
    },

    async revokeNodeOperator(nodeId) {
      const user = await store.getUserByName(nodeUserName(nodeId));
      if (user === undefined) return;
      const now = clock.now();
      await store.revokeApiTokens({ userId: user.id }, now);
      await store.updateUser(user.id, { disabledAt: now });
      logger.info({ nodeUserId: user.id, nodeId }, 'auth: node operator token revoked');
    },
  };
}
