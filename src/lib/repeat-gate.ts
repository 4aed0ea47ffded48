/** What to log for one occurrence: nothing, or a line that also counts the ones held back. */
export type RepeatDecision = { log: false } | { log: true; suppressed: number };

/** Lets the first occurrence of a repeating problem through, then at most one per interval. */
export interface RepeatGate {
  /** Records one occurrence at `now` (epoch ms) and says whether to log it. */
  occur(now: number): RepeatDecision;
}

/**
 * A gate for a problem that repeats on every request or write (a full disk): one line per
 * `intervalMs`, each counting the occurrences held back since the previous line.
 */
export function createRepeatGate(intervalMs: number): RepeatGate {
  let lastLoggedAt: number | undefined;
  let suppressed = 0;
  return {
    occur(now) {
      if (lastLoggedAt !== undefined && now - lastLoggedAt < intervalMs) {
        suppressed++;
        return { log: false };
      }
      const decision = { log: true as const, suppressed };
      lastLoggedAt = now;
      suppressed = 0;
      return decision;
    },
  };
}
