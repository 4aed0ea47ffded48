import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.ts';

/** Requires `Authorization: Bearer <token>` on every route (used when the API is not loopback-only). */
export function requireBearerToken(app: FastifyInstance, token: string): void {
  const expected = Buffer.from(token);
  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      done(
        new AppError(
          'UNAUTHORIZED',
          'missing or wrong API token (see the api-token file in the data dir)',
        ),
      );
      return;
    }
    done();
  });
}
