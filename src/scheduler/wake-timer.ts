import type { Clock, TimerHandle } from '../lib/clock.ts';

/** setTimeout treats longer delays as 1 ms. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** The scheduler's one timer, armed for a single wall-clock instant at a time. */
export class WakeTimer {
  private readonly clock: Clock;
  private readonly fire: () => void;
  private handle: TimerHandle | undefined;
  private armedFor = Number.POSITIVE_INFINITY;
  /** Wall time when last armed; a wake-up with `now` well below it means the clock stepped back. */
  armedAtNow = 0;

  constructor(clock: Clock, onWake: () => void) {
    this.clock = clock;
    this.fire = () => {
      this.handle = undefined;
      this.armedFor = Number.POSITIVE_INFINITY;
      onWake();
    };
  }

  /**
   * Arms for `at` (epoch ms). A timer already armed no later is kept: waking early is harmless
   * (nothing is due, the caller re-arms), and it saves a clear/set pair on every removal.
   */
  armFor(at: number): void {
    if (this.handle !== undefined && this.armedFor <= at) return;
    this.disarm();
    if (at === Number.POSITIVE_INFINITY) return;
    const now = this.clock.now();
    this.armedAtNow = now;
    this.armedFor = at;
    this.handle = this.clock.setTimeout(
      this.fire,
      Math.min(Math.max(0, at - now), MAX_TIMER_DELAY_MS),
    );
  }

  /** Cancels the pending wake-up, if any. */
  disarm(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
  }
}
