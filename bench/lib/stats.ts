/** Percentiles of a sample by nearest rank, rounded to two decimals (zeros when empty). */
export interface Distribution {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank p50/p99 and the maximum of `values` (the array is not modified). */
export function distribution(values: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(values).sort();
  const rank = (fraction: number): number =>
    sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
  return {
    samples: sorted.length,
    p50: round(rank(0.5)),
    p99: round(rank(0.99)),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

/** Rounds to `digits` decimals (two by default) for reports. */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The median of a few repeated figures. */
export function median(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/** Nearest-rank p50/p95 and the maximum of a few repeated latencies (ms, rounded). */
export interface Spread {
  samples: number;
  p50: number;
  p95: number;
  max: number;
}

/** p50/p95/max of `values` by nearest rank (zeros when empty; the array is not modified). */
export function spread(values: readonly number[]): Spread {
  const sorted = values.toSorted((a, b) => a - b);
  const rank = (fraction: number): number =>
    sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
  return {
    samples: sorted.length,
    p50: round(rank(0.5), 0),
    p95: round(rank(0.95), 0),
    max: round(sorted.at(-1) ?? 0, 0),
  };
}
