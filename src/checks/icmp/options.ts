import { z } from 'zod';
import { degradedAfterFlag, durationMsSchema } from '../degraded-after.ts';
import { isHostOrIp, unbracket } from '../net-names.ts';
import { dropUndefinedKeys, intFromText } from '../shared-options.ts';
import type { CheckFlag } from '../types.ts';

export const DEFAULT_PING_COUNT = 3;
export const MAX_PING_COUNT = 20;

/** Host name or IP literal to ping; IPv6 may be bracketed. Stored lower-case, without brackets. */
export const icmpTargetSchema = z.string().transform((text, ctx) => {
  const host = unbracket(text.trim()).toLowerCase();
  if (!isHostOrIp(host)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a valid hostname or IP address` });
    return z.NEVER;
  }
  return host;
});

/** Options of the `icmp` check type (stored JSON shape). */
export const icmpOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z.strictObject({
    /** Echo requests per check. */
    count: z
      .preprocess(
        intFromText,
        z
          .int({ error: 'must be a whole number' })
          .min(1, 'must be at least 1')
          .max(MAX_PING_COUNT, `must be at most ${MAX_PING_COUNT}`),
      )
      .default(DEFAULT_PING_COUNT),
    /** Applied to the average round-trip time. */
    degradedThresholdMs: durationMsSchema.optional(),
  }),
);

export type IcmpOptions = z.output<typeof icmpOptionsSchema>;

export const icmpFlags: readonly CheckFlag[] = [
  {
    flags: '--count <n>',
    key: 'count',
    description: `echo requests per check (default ${DEFAULT_PING_COUNT}, at most ${MAX_PING_COUNT})`,
    kind: 'int',
  },
  degradedAfterFlag,
];
