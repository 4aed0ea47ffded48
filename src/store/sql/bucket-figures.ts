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

/** Counts and latency percentiles of a set of results (every status counts toward latency). */
export function summarize(points: readonly RawPoint[]): BucketFigures {
  let failures = 0;
  let degraded = 0;
  const latencies: number[] = [];
  for (const point of points) {
    if (point.status === 'down') failures += 1;
    else if (point.status === 'degraded') degraded += 1;
    latencies.push(point.latencyMs);
  }
  latencies.sort((a, b) => a - b);
  return {
    count: points.length,
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

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
