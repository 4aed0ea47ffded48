import { z } from 'zod';
import { parseDuration } from '../lib/duration.ts';
import type { CheckFlag } from './types.ts';

/** The shared `--degraded-after` flag; every check type offering it uses this exact entry. */
export const degradedAfterFlag: CheckFlag = {
  flags: '--degraded-after <duration>',
  key: 'degradedThresholdMs',
  description: 'report degraded when a successful check is slower than this (e.g. 500ms)',
  kind: 'duration',
};

/** Milliseconds as stored; also accepts the CLI's duration text (`500ms`, `2s`). */
export const durationMsSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value : parseDuration(value);
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a positive duration in milliseconds or text such as 500ms or 2s',
    });
    return z.NEVER;
  }
  return ms;
});

/** True when a successful check's latency crosses the (optional) degraded threshold. */
export function isSlowerThan(latencyMs: number, thresholdMs: number | undefined): boolean {
  return thresholdMs !== undefined && latencyMs > thresholdMs;
}
