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

/**
 * Requires `Authorization: Bearer <token>` on every route (an agent's local API); `readOnly`'s
 * token is accepted too, for GET on its one path (the scrape-only metrics token).
 */
export function requireBearerToken(
  app: FastifyInstance,
  token: string,
  readOnly?: { path: string; token: string },
): void {
  const authenticate = localTokenAuthenticator(token);
  const scrapeSecret = readOnly === undefined ? undefined : Buffer.from(readOnly.token);
  app.addHook('onRequest', async (request) => {
    const scrape =
      scrapeSecret !== undefined &&
      request.method === 'GET' &&
      request.routeOptions.url === readOnly?.path &&
      sameSecret(bearerOf(request), scrapeSecret);
    if (!scrape) await authenticate(request);
  });
}
