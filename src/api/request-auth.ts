import type { FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import type { Principal } from '../operations/kit.ts';
import type { Authenticator } from '../services/auth/authenticate.ts';

/** The header a signed-in browser repeats its CSRF token in on state-changing requests. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The session cookie's name: under HTTPS the `__Host-` prefix makes browsers refuse it unless
 * it is Secure, host-only and for path `/`.
 */
export function sessionCookieName(secureCookies: boolean): string {
  return secureCookies ? '__Host-crosscheck_session' : 'crosscheck_session';
}

/** Methods that change nothing, so need no CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The session cookie's value in a request, if any. Read by hand rather than by the cookie
 * plugin's hook: one known name with a URL-safe value needs no decoding, and this works in
 * the auth hook whether or not the plugin has run yet.
 */
export function sessionCookie(request: FastifyRequest, secureCookies: boolean): string | undefined {
  const prefix = `${sessionCookieName(secureCookies)}=`;
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const pair = part.trim();
    if (pair.startsWith(prefix)) {
      const value = pair.slice(prefix.length);
      return /^[A-Za-z0-9_-]+$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * Resolves who sent a request: an API token (`Authorization: Bearer`) first, else a session
 * cookie, whose non-GET requests must also carry the CSRF token. Anything else is UNAUTHORIZED.
 */
export function createRequestAuthenticator(
  auth: Authenticator,
  options: { secureCookies: boolean },
): (request: FastifyRequest) => Promise<Principal> {
  return async (request) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer +(\S+)$/i.exec(authorization);
      if (match?.[1] === undefined)
        throw new AppError('UNAUTHORIZED', 'expected the header Authorization: Bearer <token>');
      return auth.authenticateToken(match[1]);
    }
    const sessionId = sessionCookie(request, options.secureCookies);
    if (sessionId !== undefined) {
      const session = await auth.authenticateSession(sessionId);
      const csrf = single(request.headers[CSRF_HEADER]);
      if (!SAFE_METHODS.has(request.method) && !auth.csrfMatches(session, csrf))
        throw new AppError(
          'FORBIDDEN',
          `CSRF check failed: send the ${CSRF_HEADER} header given at sign-in`,
        );
      return session.principal;
    }
    throw new AppError(
      'UNAUTHORIZED',
      'sign in, or send an API token (Authorization: Bearer …; the CLI reads the data dir’s api-token file)',
    );
  };
}
