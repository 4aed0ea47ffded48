import { z } from 'zod';
import { dropUndefinedKeys, intFromText } from '../shared-options.ts';
import type { CheckFlag } from '../types.ts';
import { caFlag, caPemSchema, insecureFlag } from './ca-option.ts';

/** Days before expiry at which a certificate makes the check `degraded` by default. */
export const DEFAULT_WARN_DAYS = 14;

/**
 * Options of the `tls` check type. `insecure` ignores chain trust only (self-signed or
 * private-CA certificates): expiry and hostname are still checked, because that is what
 * a tls check is for.
 */
export const tlsOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z.strictObject({
    warnDays: z.preprocess(intFromText, z.int().min(0).max(3650)).default(DEFAULT_WARN_DAYS),
    insecure: z.boolean().default(false),
    ca: caPemSchema.optional(),
  }),
);

export type TlsOptions = z.output<typeof tlsOptionsSchema>;

export const tlsFlags: readonly CheckFlag[] = [
  {
    flags: '--warn-days <n>',
    key: 'warnDays',
    description: `report degraded when the certificate expires within n days (default ${DEFAULT_WARN_DAYS})`,
    kind: 'int',
  },
  insecureFlag,
  caFlag,
];
