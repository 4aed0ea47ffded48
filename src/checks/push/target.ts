import { z } from 'zod';

/**
 * A push monitor's target names the job that pings it (`nightly-backup`, `cron@db1`): nothing
 * is contacted, so any short printable text will do.
 */
export const pushTargetSchema = z
  .string()
  .trim()
  .min(1, { message: 'name the job that pings this monitor, e.g. nightly-backup' })
  .max(200, { message: 'must be at most 200 characters' })
  // eslint-disable-next-line no-control-regex
  .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), {
    message: 'must not contain control characters',
  });
