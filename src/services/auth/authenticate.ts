import type { User } from '../../domain/auth.ts';
import { AppError } from '../../lib/errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Principal } from '../../domain/principal.ts';
import type { AuthDeps } from './deps.ts';
import { SESSION_POLICY, sessionLive, shouldTouch, tokenState } from './expiry.ts';
import { hashSecret, sameSecret } from './secrets.ts';
import { principalFor } from './views.ts';

/** Last-used times are recorded at most once a minute per token. */
const TOKEN_TOUCH_EVERY_MS = 60_000;

/** A signed-in browser: who, and the CSRF token hash its state-changing requests must match. */
export interface SessionPrincipal {
  principal: Principal;
  csrfHash: string;
}

export interface Authenticator {
  /** The principal of an API token (`Authorization: Bearer`); UNAUTHORIZED otherwise. */
  authenticateToken(token: string): Promise<Principal>;
  /** The principal of a session cookie's value; UNAUTHORIZED when unknown or expired. */
  authenticateSession(sessionId: string): Promise<SessionPrincipal>;
  /** True when `given` is the session's CSRF token. */
  csrfMatches(session: SessionPrincipal, given: string | undefined): boolean;
}

function refuse(reason: string): AppError {
  return new AppError('UNAUTHORIZED', reason);
}

/** A user that may act: exists and is not disabled. */
function activeUser(user: User | undefined): User {
  if (user === undefined || user.disabledAt !== null)
    throw refuse('this credential belongs to a disabled or deleted user');
  return user;
}

/**
 * Records last-use times without holding the request. A request only reads (on the store's
 * reader, which never waits for the writer), but a write waits for the writer, and a long
 * transaction — an apply of 100,000 monitors — holds it for seconds to minutes: a touch
 * awaited there stalled every request of the credential, since each read the old time and
 * touched again. One write per credential at a time; a failed one is logged and the next
 * request tries again.
 */
function lastUseRecorder(logger: Logger): (key: string, touch: () => Promise<void>) => void {
  const inFlight = new Set<string>();
  return (key, touch) => {
    if (inFlight.has(key)) return;
    inFlight.add(key);
    void touch()
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'auth.authenticate: recording the last use failed');
      })
      .finally(() => inFlight.delete(key));
  };
}

export function createAuthenticator(deps: AuthDeps): Authenticator {
  const { store, clock } = deps;
  const policy = deps.sessionPolicy ?? SESSION_POLICY;
  const recordUse = lastUseRecorder(deps.logger);

  return {
    async authenticateToken(token) {
      const stored = await store.findApiToken(hashSecret(token));
      if (stored === undefined) throw refuse('unknown API token');
      const now = clock.now();
      const state = tokenState(stored, now);
      if (state !== 'usable') throw refuse(`this API token is ${state}`);
      const user = activeUser(await store.getUser(stored.userId));
      if (shouldTouch(stored.lastUsedAt, now, TOKEN_TOUCH_EVERY_MS))
        recordUse(`token:${stored.id}`, () => store.touchApiToken(stored.id, now));
      return principalFor(user, stored.access, 'token');
    },

    async authenticateSession(sessionId) {
      const idHash = hashSecret(sessionId);
      const session = await store.getSession(idHash);
      if (session === undefined) throw refuse('not signed in (or the session ended)');
      const now = clock.now();
      if (!sessionLive(session, now, policy)) {
        await store.deleteSessions({ idHash });
        throw refuse('the session expired; sign in again');
      }
      const user = activeUser(await store.getUser(session.userId));
      if (shouldTouch(session.lastSeenAt, now, policy.touchEveryMs))
        recordUse(`session:${idHash}`, () => store.touchSession(idHash, now));
      return { principal: principalFor(user, 'write', 'session'), csrfHash: session.csrfHash };
    },

    csrfMatches(session, given) {
      if (given === undefined || given === '') return false;
      return sameSecret(hashSecret(given), session.csrfHash);
    },
  };
}
