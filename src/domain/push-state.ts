/**
 * What the coordinator remembers of a push monitor's pings (stored, so it survives restarts).
 * `runStartedAt` is set by a `/start` signal and cleared by the next success or fail ping.
 */
export interface PushState {
  lastPingAt: number | null;
  /** The last success or fail ping's verdict; null before the first. */
  lastStatus: 'up' | 'down' | null;
  /** The message the last ping carried (`?msg=` or the body), capped. */
  lastMessage: string | null;
  runStartedAt: number | null;
  /** Duration of the last run: its start signal to its closing ping (null without a start). */
  lastRunMs: number | null;
}
