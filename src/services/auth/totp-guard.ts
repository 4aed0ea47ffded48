import { totpStep } from './totp.ts';

/** Accepts a TOTP code once: a code seen for a user is refused until its time step has passed. */
export interface TotpGuard {
  accept(userId: string, secret: string, code: string, now: number): boolean;
}

export function createTotpGuard(): TotpGuard {
  // In memory: a restart forgets at most the last minute of steps, which only matters for a
  // code replayed across a restart inside its 90 s window.
  const lastStep = new Map<string, number>();
  return {
    accept(userId, secret, code, now) {
      const step = totpStep(secret, code, now);
      if (step === null) return false;
      const last = lastStep.get(userId);
      if (last !== undefined && step <= last) return false;
      lastStep.set(userId, step);
      return true;
    },
  };
}
