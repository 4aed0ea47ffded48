import { AppError, notFound } from '../../lib/errors.ts';
import type { Principal } from '../../domain/principal.ts';
import type { AuthDeps } from './deps.ts';
import { newTotpEnrolment } from './totp.ts';
import type { TotpGuard } from './totp-guard.ts';

/** A user's own TOTP second factor: enrol (secret shown once), confirm with a code, disable. */
export interface TotpService {
  enrolTotp(principal: Principal): Promise<{ secret: string; uri: string }>;
  confirmTotp(principal: Principal, code: string): Promise<{ totp: true }>;
  disableTotp(principal: Principal, code: string): Promise<{ totp: false }>;
}

export function createTotpService(deps: AuthDeps, guard: TotpGuard): TotpService {
  const { store, clock, logger } = deps;

  async function person(principal: Principal) {
    const user = await store.getUser(principal.userId);
    if (user === undefined) throw notFound('user', principal.userId);
    if (user.kind !== 'person')
      throw new AppError('CONFLICT', 'only people sign in with a password and a second factor');
    return user;
  }

  function wrongCode(): AppError {
    return new AppError('VALIDATION', 'wrong TOTP code', {
      issues: [{ path: 'code', message: 'does not match the current code of the app' }],
    });
  }

  return {
    async enrolTotp(principal) {
      const user = await person(principal);
      if (user.totpConfirmedAt !== null)
        throw new AppError('CONFLICT', 'TOTP is already on; disable it first to enrol again');
      const enrolment = newTotpEnrolment(user.name);
      await store.updateUser(user.id, { totpSecret: enrolment.secret, totpConfirmedAt: null });
      logger.info({ userId: user.id }, 'auth.totp: enrolment started');
      return enrolment;
    },

    async confirmTotp(principal, code) {
      const user = await person(principal);
      if (user.totpSecret === null || user.totpConfirmedAt !== null)
        throw new AppError('CONFLICT', 'no TOTP enrolment is waiting for confirmation');
      if (!guard.accept(user.id, user.totpSecret, code, clock.now())) throw wrongCode();
      await store.updateUser(user.id, { totpConfirmedAt: clock.now() });
      logger.info({ userId: user.id }, 'auth.totp: enabled');
      return { totp: true };
    },

    async disableTotp(principal, code) {
      const user = await person(principal);
      if (user.totpSecret === null || user.totpConfirmedAt === null)
        throw new AppError('CONFLICT', 'TOTP is not on for this user');
      if (!guard.accept(user.id, user.totpSecret, code, clock.now())) throw wrongCode();
      await store.updateUser(user.id, { totpSecret: null, totpConfirmedAt: null });
      logger.info({ userId: user.id }, 'auth.totp: disabled');
      return { totp: false };
    },
  };
}
