import { z } from 'zod';
import type { CheckDetails, CheckResult, PhaseTimings } from '../domain/check-result.ts';
import { parseDuration } from '../lib/duration.ts';
import { degradedResult, upResult } from './outcome.ts';
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

/**
 * A successful check's result: `up`, or `degraded` with "(slower than N ms)" added to the
 * message when its latency crosses the (optional) threshold.
 */
export function answeredResult(
  latencyMs: number,
  message: string,
  thresholdMs: number | undefined,
  timings: PhaseTimings,
  details: CheckDetails,
): CheckResult {
  if (isSlowerThan(latencyMs, thresholdMs))
    return degradedResult(
      latencyMs,
      `${message} (slower than ${thresholdMs} ms)`,
      timings,
      details,
    );
  return upResult(latencyMs, message, timings, details);
}
