/**
 * A counting semaphore whose waiters give up when their signal aborts: a browser check waits
 * for a page slot within its own deadline, never past it.
 */
export interface Slots {
  /** Resolves with a release function once a slot is free, or `aborted` if the signal fires first. */
  acquire(signal: AbortSignal): Promise<(() => void) | 'aborted'>;
  /** Slots taken now. */
  readonly inUse: number;
}

export function createSlots(limit: number): Slots {
  let inUse = 0;
  const waiting: (() => void)[] = [];

  const releaser = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiting.shift();
      // The slot passes straight to the next waiter, so a newcomer cannot overtake the queue.
      if (next !== undefined) next();
      else inUse -= 1;
    };
  };

  return {
    get inUse() {
      return inUse;
    },
    acquire(signal) {
      if (signal.aborted) return Promise.resolve('aborted');
      if (inUse < limit) {
        inUse += 1;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve) => {
        const grant = (): void => {
          signal.removeEventListener('abort', giveUp);
          resolve(releaser());
        };
        const giveUp = (): void => {
          const index = waiting.indexOf(grant);
          if (index !== -1) waiting.splice(index, 1);
          resolve('aborted');
        };
        waiting.push(grant);
        signal.addEventListener('abort', giveUp, { once: true });
      });
    },
  };
}
