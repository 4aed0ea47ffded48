/** One raw result as the rollup reads it. */
export interface RawPoint {
  seq: number;
  checkedAt: number;
  status: string;
  latencyMs: number;
}

/** What a rollup bucket stores, apart from its key. */
export interface BucketFigures {
  count: number;
  /** Results with status `down`. */
  failures: number;
  degraded: number;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyMax: number | null;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** Day buckets are UTC days. */
export const DAY_MS = 86_400_000;

/** Start of the bucket of `size` ms that holds `timestamp`. */
export function bucketStartOf(timestamp: number, size: number): number {
  return Math.floor(timestamp / size) * size;
}

/** Nearest-rank percentile of ascending-sorted values; null for none. */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((percent / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/**
 * Counts and latency percentiles of a set of results (every status counts toward latency).
 * Node errors are left out of every figure: they say nothing about the target, so they are
 * neither failures nor observations that it was up.
 */
export function summarize(points: readonly RawPoint[]): BucketFigures {
  let failures = 0;
  let degraded = 0;
  const latencies: number[] = [];
  for (const point of points) {
    if (point.status === 'error') continue;
    if (point.status === 'down') failures += 1;
    else if (point.status === 'degraded') degraded += 1;
    latencies.push(point.latencyMs);
  }
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    failures,
    degraded,
    latencyP50: nearestRank(latencies, 50),
    latencyP95: nearestRank(latencies, 95),
    latencyMax: latencies.at(-1) ?? null,
  };
}

/**
 * Adds late results to a bucket whose other raw results may already be pruned. Counts and
 * max stay exact; percentiles cannot be rebuilt without the raw data, so the existing ones
 * are kept (the added results only decide them when the bucket had none).
 */
export function mergeFigures(existing: BucketFigures, added: BucketFigures): BucketFigures {
  const keepOld = existing.count > 0;
  return {
    count: existing.count + added.count,
    failures: existing.failures + added.failures,
    degraded: existing.degraded + added.degraded,
    latencyP50: keepOld ? existing.latencyP50 : added.latencyP50,
    latencyP95: keepOld ? existing.latencyP95 : added.latencyP95,
    latencyMax: maxOrNull(existing.latencyMax, added.latencyMax),
  };
}

/**
 * Figures of a larger bucket from the buckets it consists of (a day from its hours). Counts,
 * failures, degraded and max are exact. Percentiles are approximate: the count-weighted
 * nearest rank of the parts' own percentiles, i.e. a day's p95 is the smallest hourly p95 such
 * that the hours whose p95 is at or below it hold at least 95% of the day's results. It
 * always lies between the smallest and the largest part's percentile, and is exact when every
 * part holds a single result.
 */
export function combineFigures(parts: readonly BucketFigures[]): BucketFigures {
  let count = 0;
  let failures = 0;
  let degraded = 0;
  let latencyMax: number | null = null;
  for (const part of parts) {
    count += part.count;
    failures += part.failures;
    degraded += part.degraded;
    latencyMax = maxOrNull(latencyMax, part.latencyMax);
  }
  return {
    count,
    failures,
    degraded,
    latencyP50: weightedNearestRank(parts, (p) => p.latencyP50, 50),
    latencyP95: weightedNearestRank(parts, (p) => p.latencyP95, 95),
    latencyMax,
  };
}

/** Nearest rank over values weighted by their part's count; null when no part has a value. */
function weightedNearestRank(
  parts: readonly BucketFigures[],
  valueOf: (part: BucketFigures) => number | null,
  percent: number,
): number | null {
  const weighted: { value: number; weight: number }[] = [];
  for (const part of parts) {
    const value = valueOf(part);
    if (value !== null && part.count > 0) weighted.push({ value, weight: part.count });
  }
  weighted.sort((a, b) => a.value - b.value);
  const total = weighted.reduce((sum, w) => sum + w.weight, 0);
  const rank = Math.max(1, Math.ceil((percent / 100) * total));
  let seen = 0;
  for (const { value, weight } of weighted) {
    seen += weight;
    if (seen >= rank) return value;
  }
  return weighted.at(-1)?.value ?? null;
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
