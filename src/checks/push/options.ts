import { z } from 'zod';
import { durationMsSchema } from '../degraded-after.ts';
import { dropUndefinedKeys } from '../shared-options.ts';
import type { CheckFlag } from '../types.ts';
import { cronIssues } from '../../lib/cron.ts';
import { newPushToken, PUSH_TOKEN_PATTERN } from './token.ts';

/** healthchecks.io's defaults: a daily job, an hour late before it counts as missed. */
export const DEFAULT_PERIOD_MS = 86_400_000;
export const DEFAULT_GRACE_MS = 3_600_000;
const MAX_SPAN_MS = 366 * 86_400_000;

const spanSchema = durationMsSchema.refine((ms) => ms >= 1_000 && ms <= MAX_SPAN_MS, {
  message: 'must be between 1s and 366d',
});

/**
 * Options of the `push` check type (stored JSON shape). The schedule is `period` (simple) or
 * `cron` + `timezone`; `grace` is how late a ping may be. The token is the ping URL's secret;
 * one is generated when none is given (an importer keeps the old tool's token).
 */
export const pushOptionsSchema = z.preprocess(
  dropUndefinedKeys,
  z
    .strictObject({
      token: z
        .string()
        .regex(PUSH_TOKEN_PATTERN, {
          message: 'must be 10–128 characters of A–Z, a–z, 0–9, "-" and "_" (base64url)',
        })
        .default(() => newPushToken()),
      /** Simple schedule: a ping is expected at least this often. */
      periodMs: spanSchema.optional(),
      /** Cron schedule: a ping is expected at every time this names, read in `timezone`. */
      cron: z.string().min(1).max(200).optional(),
      timezone: z.string().min(1).max(100).optional(),
      graceMs: spanSchema.default(DEFAULT_GRACE_MS),
      /**
       * `crosscheck check push` only: judge as if the last success ping came at this time (ISO
       * 8601 or epoch ms). A stored monitor ignores it: the coordinator judges received pings.
       */
      lastPing: z
        .union([z.number(), z.string()])
        .transform((value, ctx) => {
          const ms = typeof value === 'number' ? value : Date.parse(value);
          if (Number.isFinite(ms)) return ms;
          ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time or epoch ms' });
          return z.NEVER;
        })
        .optional(),
    })
    .superRefine((options, ctx) => {
      if (options.cron !== undefined && options.periodMs !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['cron'],
          message: 'give either periodMs (simple schedule) or cron, not both',
        });
      if (options.timezone !== undefined && options.cron === undefined)
        ctx.addIssue({ code: 'custom', path: ['timezone'], message: 'only applies with cron' });
      if (options.cron !== undefined)
        for (const issue of cronIssues(options.cron, options.timezone ?? 'UTC', {
          cron: 'cron',
          timezone: 'timezone',
        }))
          ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
    }),
);

export type PushOptions = z.output<typeof pushOptionsSchema>;

/** A push monitor's schedule, as the evaluator reads it. */
export type PushSchedule =
  | { kind: 'period'; periodMs: number; graceMs: number }
  | { kind: 'cron'; cron: string; timezone: string; graceMs: number };

/** The schedule the options describe (a daily period when neither period nor cron is given). */
export function scheduleOf(options: PushOptions): PushSchedule {
  if (options.cron !== undefined)
    return {
      kind: 'cron',
      cron: options.cron,
      timezone: options.timezone ?? 'UTC',
      graceMs: options.graceMs,
    };
  return {
    kind: 'period',
    periodMs: options.periodMs ?? DEFAULT_PERIOD_MS,
    graceMs: options.graceMs,
  };
}

/** What `redactPushOptions` masks (`CheckDefinition.secretOptions`). */
export const PUSH_SECRET_OPTIONS: Readonly<Record<string, string>> = {
  token: 'the ping URL secret, shown as ***',
};

/** The options for display: the token becomes `***`. */
export function redactPushOptions(options: PushOptions): PushOptions {
  return { ...options, token: '***' };
}

export const pushFlags: readonly CheckFlag[] = [
  {
    flags: '--period <duration>',
    key: 'periodMs',
    description: 'push: a ping is expected at least this often (default 1d; or use --cron)',
    kind: 'duration',
  },
  {
    flags: '--grace <duration>',
    key: 'graceMs',
    description: 'push: how late a ping (or a run after /start) may be before down (default 1h)',
    kind: 'duration',
  },
  {
    flags: '--cron <expression>',
    key: 'cron',
    description: 'push: a ping is expected at every time this cron expression names',
    kind: 'string',
  },
  {
    flags: '--timezone <zone>',
    key: 'timezone',
    description: 'push: IANA time zone the --cron expression is read in (default UTC)',
    kind: 'string',
  },
  {
    flags: '--push-token <token>',
    key: 'token',
    description: 'push: the ping URL secret (generated when omitted); masked when shown',
    kind: 'string',
  },
  {
    flags: '--last-ping <time>',
    key: 'lastPing',
    description: 'push, `check` only: judge as if the last ping came at this time (ISO 8601)',
    kind: 'string',
  },
];
