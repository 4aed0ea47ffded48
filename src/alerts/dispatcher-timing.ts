import type { Clock, TimerHandle } from '../lib/clock.ts';

/** One timer that only ever moves earlier: `at(t)` keeps the sooner of the current and `t`. */
export interface WakeTimer {
  at(time: number): void;
  cancel(): void;
}

/** A single re-armable timer on the injected clock, so tests drive it with a fake clock. */
export function createWakeTimer(clock: Clock, onWake: () => void): WakeTimer {
  let current: { handle: TimerHandle; at: number } | null = null;

  function arm(time: number): void {
    const handle = clock.setTimeout(
      () => {
        // Real timers may fire a millisecond before the wall clock reaches `time` (libuv
        // measures from its cached loop time); waking then would find the retry not yet due.
        if (clock.now() < time) return arm(time);
        current = null;
        onWake();
      },
      Math.max(0, time - clock.now()),
    );
    // A pending wake-up must never keep the process alive on its own.
    handle.unref?.();
    current = { handle, at: time };
  }

  return {
    at(time) {
      if (current !== null && current.at <= time) return;
      if (current !== null) clock.clearTimeout(current.handle);
      arm(time);
    },
    cancel() {
      if (current !== null) clock.clearTimeout(current.handle);
      current = null;
    },
  };
}

/** Waits for every promise to settle, or until `limitMs` passes on the clock, whichever is first. */
export async function boundedWait(
  clock: Clock,
  promises: readonly Promise<unknown>[],
  limitMs: number,
): Promise<void> {
  if (promises.length === 0) return;
  let handle: TimerHandle | undefined;
  const limit = new Promise<void>((resolve) => {
    handle = clock.setTimeout(resolve, limitMs);
  });
  try {
    await Promise.race([Promise.allSettled(promises), limit]);
  } finally {
    if (handle !== undefined) clock.clearTimeout(handle);
  }
}
