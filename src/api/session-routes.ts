import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import { AppError, validationError } from '../lib/errors.ts';
import type { AuthService } from '../services/auth/auth-service.ts';
import { loginInput, setupInput } from '../services/auth/inputs.ts';
import { zodIssues } from '../services/monitors/monitor-input.ts';
import { sessionCookie, sessionCookieName } from './request-auth.ts';

export interface SessionRouteOptions {
  auth: AuthService;
  /** Sets `Secure` (and the `__Host-` name) on the session cookie; true when served over HTTPS. */
  secureCookies: boolean;
}

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw validationError(zodIssues(parsed.error));
  return parsed.data;
}

/**
 * Sign-in, sign-out and first-admin setup: the few routes that set cookies or run without
 * credentials, so they are not operations (operations never see the reply).
 */
export function registerSessionRoutes(app: FastifyInstance, options: SessionRouteOptions): void {
  const { auth, secureCookies } = options;
  const cookieName = sessionCookieName(secureCookies);
  // Loads the serializer `setSessionCookie` uses; cookies are read by the auth hook itself.
  void app.register(fastifyCookie, { hook: false });

  function setSessionCookie(reply: FastifyReply, value: string, expiresAt: number): void {
    void reply.header(
      'set-cookie',
      fastifyCookie.serialize(cookieName, value, {
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookies,
        path: '/',
        expires: new Date(expiresAt),
      }),
    );
  }

  app.post('/api/v1/auth/login', { config: { public: true } }, async (request, reply) => {
    const input = parseBody(loginInput, request.body);
    const result = await auth.login(input, request.ip);
    setSessionCookie(reply, result.sessionId, result.expiresAt);
    return reply.send({
      user: result.user,
      csrfToken: result.csrfToken,
      expiresAt: result.expiresAt,
    });
  });

  // Needs a session (and so its CSRF token): a cross-site page cannot sign a user out either.
  app.post('/api/v1/auth/logout', async (request, reply) => {
    const sessionId = sessionCookie(request, secureCookies);
    if (sessionId !== undefined) await auth.logout(sessionId);
    setSessionCookie(reply, '', 0);
    return reply.status(204).send();
  });

  app.get('/api/v1/auth/setup', { config: { public: true } }, async () => ({
    needed: await auth.setupNeeded(),
  }));

  // What a page load asks first: who is signed in, if anyone, and whether setup is due. Always
  // 200, so a signed-out browser's first request is not an error in its console.
  app.get('/api/v1/auth/session', { config: { public: true } }, async (request) => {
    const setupNeeded = await auth.setupNeeded();
    const sessionId = sessionCookie(request, secureCookies);
    if (sessionId === undefined) return { user: null, setupNeeded };
    try {
      const session = await auth.authenticateSession(sessionId);
      return { user: await auth.me(session.principal), setupNeeded };
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAUTHORIZED')
        return { user: null, setupNeeded };
      throw error;
    }
  });

  app.post('/api/v1/auth/setup', { config: { public: true } }, async (request, reply) => {
    const input = parseBody(setupInput, request.body);
    return reply.status(201).send(await auth.createFirstAdmin(input));
  });
}
