import { AppError, notFound } from '../../lib/errors.ts';
import type { Principal } from '../../domain/principal.ts';
import { roleAtLeast } from '../../domain/principal.ts';
import type { AuthDeps } from './deps.ts';
import type { CreateTokenInput } from './inputs.ts';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from './secrets.ts';
import type { TokenView } from './views.ts';
import { tokenView } from './views.ts';

/** A token just made: the only time its value is shown. */
export type CreatedToken = TokenView & { token: string };

export interface TokenService {
  /** The caller's tokens, or everyone's (`all`, admins only). */
  listTokens(principal: Principal, options: { all: boolean }): Promise<TokenView[]>;
  createToken(principal: Principal, input: CreateTokenInput): Promise<CreatedToken>;
  /** Revokes one of the caller's tokens (an admin may revoke anyone's). */
  revokeToken(principal: Principal, id: string): Promise<TokenView>;
  /** Makes a token for a user (the local admin's token file, a node's operator token). */
  issueToken(
    userId: string,
    spec: { name: string; access: 'read' | 'write'; expiresAt: number | null },
  ): Promise<CreatedToken>;
}

export function createTokenService(deps: AuthDeps): TokenService {
  const { store, clock, logger } = deps;

  async function issueToken(
    userId: string,
    spec: { name: string; access: 'read' | 'write'; expiresAt: number | null },
  ): Promise<CreatedToken> {
    const token = newSecret(API_TOKEN_PREFIX);
    const stored = {
      id: deps.newId('tok'),
      userId,
      name: spec.name,
      tokenHash: hashSecret(token),
      access: spec.access,
      createdAt: clock.now(),
      expiresAt: spec.expiresAt,
      lastUsedAt: null,
      revokedAt: null,
    };
    await store.insertApiToken(stored);
    logger.info({ tokenId: stored.id, userId, access: spec.access }, 'auth.tokens: created');
    return { ...tokenView(stored), token };
  }

  return {
    issueToken,

    async listTokens(principal, { all }) {
      if (all && !roleAtLeast(principal.role, 'admin'))
        throw new AppError('FORBIDDEN', 'only admins may list every user’s tokens');
      const tokens = await store.listApiTokens(all ? {} : { userId: principal.userId });
      return tokens.map(tokenView);
    },

    async createToken(principal, input) {
      // A token never does more than the credential that made it.
      if (input.access === 'write' && principal.access !== 'write')
        throw new AppError('FORBIDDEN', 'a read-only credential cannot make a read-write token');
      const expiresAt = input.expires === undefined ? null : clock.now() + input.expires;
      return issueToken(principal.userId, { name: input.name, access: input.access, expiresAt });
    },

    async revokeToken(principal, id) {
      const token = await store.getApiToken(id);
      const visible =
        token !== undefined &&
        (token.userId === principal.userId || roleAtLeast(principal.role, 'admin'));
      if (!visible) throw notFound('token', id);
      await store.revokeApiTokens({ id }, clock.now());
      logger.info({ tokenId: id, by: principal.name }, 'auth.tokens: revoked');
      const revoked = await store.getApiToken(id);
      if (revoked === undefined) throw notFound('token', id);
      return tokenView(revoked);
    },
  };
}
