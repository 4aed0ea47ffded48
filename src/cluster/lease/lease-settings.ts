import { z } from 'zod';
import { validationError } from '../../lib/errors.ts';
import type { LeaseTimings } from './lease-decision.ts';

/**
 * Defaults for production: a dead leader is replaced within ttl + one renew period (12 s), and
 * the holder stops acting 2 s before its expiry, which covers clocks up to 1 s off true time
 * each (NTP keeps them within milliseconds).
 */
export const DEFAULT_LEASE_TIMINGS: LeaseTimings = {
  ttlMs: 10_000,
  renewEveryMs: 2_000,
  marginMs: 2_000,
};

/** Messages leave the field out: the error's path names it (`ttlMs: must be above 0`). */
const positiveMs = z
  .number({ error: 'must be a number of milliseconds' })
  .int('must be whole milliseconds')
  .positive('must be above 0');

/**
 * The lease timings, with the relation that keeps a healthy holder holding: it gets at least two
 * renewal attempts inside the time it may act (ttl − margin), so one slow or lost renewal does
 * not cost the lease.
 */
export const leaseTimingsSchema = z
  .strictObject({
    ttlMs: positiveMs,
    renewEveryMs: positiveMs,
    marginMs: positiveMs,
  })
  .superRefine((timings, ctx) => {
    if (timings.marginMs >= timings.ttlMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['marginMs'],
        message: `must be below ttlMs (${timings.ttlMs})`,
      });
      return;
    }
    if (2 * timings.renewEveryMs > timings.ttlMs - timings.marginMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['renewEveryMs'],
        message: `must be at most half of ttlMs − marginMs (${timings.ttlMs - timings.marginMs}), so a holder gets two renewals before it must stop`,
      });
    }
  });

/** Checked timings, or a VALIDATION error naming every bad field. */
export function parseLeaseTimings(input: unknown): LeaseTimings {
  const parsed = leaseTimingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw validationError(
    parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  );
}
