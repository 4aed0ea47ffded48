import { z } from 'zod';
import { durationMsSchema } from '../degraded-after.ts';
import { dropUndefinedKeys } from '../shared-options.ts';
import { caFlag, caPemSchema } from '../tls/ca-option.ts';
import type { CheckFlag } from '../types.ts';

const DAY_MS = 86_400_000;
/** Degraded this long before the registration expires, unless the monitor says otherwise. */
export const DEFAULT_EXPIRY_WARNING_MS = 30 * DAY_MS;

const rdapServerSchema = z
  .string()
  .refine((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), {
    message: 'must be an http:// or https:// RDAP base URL, e.g. https://rdap.verisign.com/com/v1/',
  });

/** Options of the `domain` check type (stored JSON shape). */
export const domainOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      /** Degraded when the registration expires within this window; down once expired. */
      expiryWarningMs: durationMsSchema
        .refine((ms) => ms <= 3650 * DAY_MS, 'must be at most 3650 days')
        .default(DEFAULT_EXPIRY_WARNING_MS),
      /** The RDAP base URL to ask instead of the bootstrap file's (a registry or a mirror). */
      rdapServer: rdapServerSchema.optional(),
      /** Path of an RFC 9224 bootstrap file to use instead of the shipped one (read each run). */
      rdapBootstrap: z.string().min(1).max(4096).optional(),
      ca: caPemSchema.optional(),
    })
    .superRefine((options, ctx) => {
      if (options.rdapServer !== undefined && options.rdapBootstrap !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['rdapServer'],
          message: 'give either rdapServer or rdapBootstrap, not both',
        });
    }),
);

export type DomainOptions = z.output<typeof domainOptionsSchema>;

export const domainFlags: readonly CheckFlag[] = [
  {
    flags: '--expiry-warning <duration>',
    key: 'expiryWarningMs',
    description: 'domain: degraded when the registration expires within this window (default 30d)',
    kind: 'duration',
  },
  {
    flags: '--rdap-server <url>',
    key: 'rdapServer',
    description: 'domain: RDAP base URL to query instead of the bootstrap file',
    kind: 'string',
  },
  {
    flags: '--rdap-bootstrap <file>',
    key: 'rdapBootstrap',
    description:
      'domain: path of an RFC 9224 bootstrap file (IANA dns.json) replacing the shipped one',
    kind: 'string',
  },
  caFlag,
];
