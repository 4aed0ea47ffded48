import type { User } from '../../domain/auth.ts';
import { AppError } from '../../lib/errors.ts';
import type { AuthDeps } from './deps.ts';
import { SESSION_POLICY } from './expiry.ts';
import type { LoginInput } from './inputs.ts';
import { DECOY_HASH, verifyPassword } from './password.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { ThrottleEntry, ThrottlePolicy } from './throttle.ts';
import {
  ADDRESS_POLICY,
  NAME_POLICY,
  isForgotten,
  lockRemainingMs,
  recordFailure,
} from './throttle.ts';
import type { TotpGuard } from './totp-guard.ts';
import type { UserView } from './views.ts';
import { userView } from './views.ts';

/** A new browser session: the cookie value and the CSRF token, each shown only here. */
export interface LoginResult {
  sessionId: string;
  csrfToken: string;
  expiresAt: number;
  user: UserView;
}

export interface LoginService {
  /** Checks name, password and (when enrolled) TOTP code; throttled per name and address. */
  login(input: LoginInput, remoteAddress: string): Promise<LoginResult>;
  /** Ends the session with this cookie value (unknown ones are ignored). */
  logout(sessionId: string): Promise<void>;
}

/** One throttle table: entries by key, forgotten ones dropped as it grows. */
function throttleTable(policy: ThrottlePolicy) {
  const entries = new Map<string, ThrottleEntry>();
  return {
    waitMs: (key: string, now: number) => lockRemainingMs(entries.get(key), now),
    fail(key: string, now: number) {
      entries.set(key, recordFailure(entries.get(key), now, policy));
      if (entries.size > 10_000) {
        for (const [k, e] of entries) if (isForgotten(e, now, policy)) entries.delete(k);
      }
    },
    clear: (key: string) => entries.delete(key),
  };
}

const WRONG = 'wrong user name or password';

export function createLoginService(deps: AuthDeps, totp: TotpGuard): LoginService {
  const { store, clock, logger } = deps;
  const policy = deps.sessionPolicy ?? SESSION_POLICY;
  const byName = throttleTable(NAME_POLICY);
  const byAddress = throttleTable(ADDRESS_POLICY);

  function refuseIfLocked(nameKey: string, remoteAddress: string, now: number): void {
    const waitMs = Math.max(byName.waitMs(nameKey, now), byAddress.waitMs(remoteAddress, now));
    if (waitMs === 0) return;
    const retryAfterSeconds = Math.ceil(waitMs / 1000);
    logger.warn({ user: nameKey, remoteAddress, retryAfterSeconds }, 'auth.login: throttled');
    throw new AppError(
      'RATE_LIMITED',
      `too many failed sign-ins; try again in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }

  function failed(nameKey: string, remoteAddress: string, now: number, why: string): AppError {
    byName.fail(nameKey, now);
    byAddress.fail(remoteAddress, now);
    logger.warn({ user: nameKey, remoteAddress, why }, 'auth.login: failed');
    return new AppError('UNAUTHORIZED', why === 'totp' ? 'wrong TOTP code' : WRONG);
  }

  /** The user when the password is theirs; a wrong name costs the same hashing time. */
  async function checkPassword(input: LoginInput): Promise<User | undefined> {
    const user = await store.getUserByName(input.name);
    const matches = await verifyPassword(input.password, user?.passwordHash ?? DECOY_HASH);
    if (!matches || user === undefined) return undefined;
    if (user.kind !== 'person' || user.disabledAt !== null) return undefined;
    return user;
  }

  return {
    async login(input, remoteAddress) {
      const nameKey = input.name.toLowerCase();
      refuseIfLocked(nameKey, remoteAddress, clock.now());
      const user = await checkPassword(input);
      const now = clock.now();
      if (user === undefined) throw failed(nameKey, remoteAddress, now, 'password');
      if (user.totpConfirmedAt !== null && user.totpSecret !== null) {
        if (input.totp === undefined) {
          throw new AppError('UNAUTHORIZED', 'this account needs its TOTP code', {
            issues: [{ path: 'totp', message: 'required: the 6-digit code from the app' }],
          });
        }
        if (!totp.accept(user.id, user.totpSecret, input.totp, now))
          throw failed(nameKey, remoteAddress, now, 'totp');
      }
      byName.clear(nameKey);
      const sessionId = newSecret();
      const csrfToken = newSecret();
      const expiresAt = now + policy.absoluteMs;
      await store.deleteSessions({ expiresBefore: now });
      await store.insertSession({
        idHash: hashSecret(sessionId),
        userId: user.id,
        csrfHash: hashSecret(csrfToken),
        createdAt: now,
        expiresAt,
        lastSeenAt: now,
      });
      logger.info({ userId: user.id, user: user.name, remoteAddress }, 'auth.login: signed in');
      return { sessionId, csrfToken, expiresAt, user: userView(user) };
    },

    async logout(sessionId) {
      await store.deleteSessions({ idHash: hashSecret(sessionId) });
    },
  };
}
