/**
 * A token bucket over a caller's clock (pure: no timers). `take(now)` spends one token when
 * one is left; tokens refill continuously at `perSecond`, up to `burst`.
 */
export class TokenBucket {
  readonly #perSecond: number;
  readonly #burst: number;
  #tokens: number;
  #at: number | undefined;

  constructor(options: { perSecond: number; burst: number }) {
    this.#perSecond = options.perSecond;
    this.#burst = options.burst;
    this.#tokens = options.burst;
  }

  /** Spends a token and returns true, or returns false when the bucket is empty at `now`. */
  take(now: number): boolean {
    if (this.#at !== undefined && now > this.#at) {
      const refill = ((now - this.#at) / 1000) * this.#perSecond;
      this.#tokens = Math.min(this.#burst, this.#tokens + refill);
    }
    this.#at = this.#at === undefined ? now : Math.max(this.#at, now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
