/** Start lag (actual start − planned start) over the most recent runs. */
export interface LagSummary {
  /** How many samples the figures below cover (at most the window capacity). */
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

/** A fixed-size ring of recent lag samples; recording is O(1) and allocation-free. */
export class LagWindow {
  private readonly samples: Float64Array;
  private count = 0;
  private next = 0;

  constructor(capacity = 1024) {
    this.samples = new Float64Array(capacity);
  }

  /** Records one sample, overwriting the oldest when full. */
  record(lagMs: number): void {
    this.samples[this.next] = lagMs;
    this.next = (this.next + 1) % this.samples.length;
    if (this.count < this.samples.length) this.count++;
  }

  /** Percentiles (nearest rank) and max over the samples in the window; zeros when empty. */
  summary(): LagSummary {
    if (this.count === 0) return { samples: 0, p50: 0, p99: 0, max: 0 };
    const sorted = this.samples.slice(0, this.count).sort();
    return {
      samples: this.count,
      p50: nearestRank(sorted, 0.5),
      p99: nearestRank(sorted, 0.99),
      max: sorted[sorted.length - 1] ?? 0,
    };
  }
}

function nearestRank(sorted: Float64Array, fraction: number): number {
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1] ?? 0;
}
