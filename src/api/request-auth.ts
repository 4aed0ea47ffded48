import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import type { Principal } from '../operations/kit.ts';
import type { Authenticator } from '../services/auth/authenticate.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without credentials (sign-in, first-admin setup); keep this list tiny. */
    public?: boolean;
  }
}

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

/** The session cookie's value in a request, if any. */
export function sessionCookie(request: FastifyRequest, secureCookies: boolean): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  const value = fastifyCookie.parse(header)[sessionCookieName(secureCookies)];
  return value === undefined || value === '' ? undefined : value;
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

/**
 * Authenticates every request in an onRequest hook (loopback included) and sets
 * `request.principal`; routes with `config: { public: true }` are let through without it.
 * Call it before `registerSessionRoutes` (it also registers the cookie plugin they use).
 */
export function installRequestAuth(
  app: FastifyInstance,
  authenticate: (request: FastifyRequest) => Promise<Principal>,
): void {
  // Loads the cookie parser that `sessionCookie` and the session routes use; its own hook is
  // off because cookies are read here, once, only where a session may be.
  void app.register(fastifyCookie, { hook: false });
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public === true) return;
    request.principal = await authenticate(request);
  });
}
