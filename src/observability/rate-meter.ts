/** Counts events per second over a sliding window of whole seconds (cheap on the hot path). */
export class RateMeter {
  private readonly windowSeconds: number;
  private readonly buckets: Float64Array;
  private readonly seconds: Float64Array;
  private firstSecond = -1;

  constructor(windowSeconds = 60) {
    this.windowSeconds = windowSeconds;
    // One slot more than the window: the current, partial second must not evict the oldest.
    this.buckets = new Float64Array(windowSeconds + 1);
    this.seconds = new Float64Array(windowSeconds + 1).fill(-1);
  }

  /** Records `count` events at epoch ms `now`. */
  mark(now: number, count = 1): void {
    const second = Math.floor(now / 1000);
    if (this.firstSecond < 0) this.firstSecond = second;
    const slot = second % this.buckets.length;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot] = (this.buckets[slot] ?? 0) + count;
  }

  /** Events per second over the window ending at `now` (the current partial second excluded). */
  perSecond(now: number): number {
    const current = Math.floor(now / 1000);
    let total = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const second = this.seconds[i] ?? -1;
      if (second < current && second >= current - this.windowSeconds) total += this.buckets[i] ?? 0;
    }
    // Shortly after the first event, average over the seconds seen so far, not the whole window.
    const span = Math.min(this.windowSeconds, current - this.firstSecond);
    return span > 0 ? total / span : 0;
  }
}
