import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import type { Principal } from '../operations/kit.ts';
import { LOCAL_ADMIN } from '../operations/kit.ts';

function bearerOf(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : '';
}

function sameSecret(given: string, expected: Buffer): boolean {
  const buffer = Buffer.from(given);
  return buffer.length === expected.length && timingSafeEqual(buffer, expected);
}

/** Accepts the data dir's token file as the local administrator. */
export function localTokenAuthenticator(token: string) {
  const expected = Buffer.from(token);
  return (request: FastifyRequest): Promise<Principal> => {
    if (!sameSecret(bearerOf(request), expected)) {
      return Promise.reject(
        new AppError(
          'UNAUTHORIZED',
          'missing or wrong API token (see the api-token file in the data dir)',
        ),
      );
    }
    return Promise.resolve(LOCAL_ADMIN);
  };
}

/** Requires `Authorization: Bearer <token>` on every route (an agent's local API). */
export function requireBearerToken(app: FastifyInstance, token: string): void {
  const authenticate = localTokenAuthenticator(token);
  app.addHook('onRequest', async (request) => {
    await authenticate(request);
  });
}
