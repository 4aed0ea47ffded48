import type { Clock } from '../lib/clock.ts';

/** Lets `stop()` wait, with a bound, until no run is in flight. */
export class IdleGate {
  private waiters: Array<() => void> = [];

  /** Resolves true when `open()` is called, or false once `boundMs` has passed on `clock`. */
  wait(clock: Clock, boundMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const onOpen = (): void => {
        clock.clearTimeout(bound);
        resolve(true);
      };
      const bound = clock.setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== onOpen);
        resolve(false);
      }, boundMs);
      this.waiters.push(onOpen);
    });
  }

  /** Releases every current waiter. */
  open(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
