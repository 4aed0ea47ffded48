/**
 * The housekeeping thread's WAL checkpoints (docs/adr/0009-checkpoint-on-housekeeping-thread.md):
 * the daemon's writer has `wal_autocheckpoint` off, so this loop is what keeps the WAL bounded.
 */
import type { CheckpointOutcome, Checkpointer } from '../store/sqlite/wal-checkpoints.ts';

/** How often the thread checkpoints what was committed since the last time. */
export const CHECKPOINT_PERIOD_MS = 1_000;
/** Past this much WAL with frames a passive checkpoint could not copy, try TRUNCATE. */
export const WAL_LIMIT_BYTES = 64 * 1024 * 1024;
/** How long a TRUNCATE attempt may wait for readers and writers. */
export const TRUNCATE_WAIT_MS = 250;
/** At most one report (a log line in the daemon) per this long; the rest are counted. */
export const REPORT_EVERY_MS = 60_000;

/** Why the loop reports: a TRUNCATE fallback was needed, or a checkpoint failed. */
export type CheckpointReport =
  | {
      kind: 'truncated';
      passive: CheckpointOutcome;
      truncate: CheckpointOutcome;
      /** Fallbacks since the last report, this one included. */
      count: number;
    }
  | { kind: 'failed'; message: string; count: number };

export interface CheckpointLoop {
  /** One round: a passive checkpoint if needed, and the fallback past the WAL limit. */
  tick(): void;
  /** Stops the timer and runs a final passive checkpoint, then closes the connection. */
  stop(): void;
}

/** Runs `tick` every `periodMs` (the timer does not keep the thread alive). */
export function startCheckpointLoop(deps: {
  checkpointer: Checkpointer;
  now: () => number;
  report: (report: CheckpointReport) => void;
  periodMs?: number;
  walLimitBytes?: number;
}): CheckpointLoop {
  const limit = deps.walLimitBytes ?? WAL_LIMIT_BYTES;
  const counts = { truncated: 0, failed: 0 };
  const lastReport = { truncated: -Infinity, failed: -Infinity };
  let stopped = false;

  const due = (kind: keyof typeof counts): boolean => {
    counts[kind] += 1;
    const now = deps.now();
    if (now - lastReport[kind] < REPORT_EVERY_MS) return false;
    lastReport[kind] = now;
    return true;
  };
  const failed = (error: unknown): void => {
    if (!due('failed')) return;
    const message = error instanceof Error ? error.message : String(error);
    deps.report({ kind: 'failed', message, count: counts.failed });
    counts.failed = 0;
  };
  const tick = (): void => {
    if (stopped) return;
    try {
      const passive = deps.checkpointer.passiveIfNeeded();
      if (passive === undefined || passive.walBytes <= limit) return;
      if (!passive.busy && passive.checkpointedPages >= passive.walPages) return;
      // Readers on old snapshots keep passive checkpoints from finishing, so the WAL only grows.
      const truncate = deps.checkpointer.truncate();
      if (!due('truncated')) return;
      deps.report({ kind: 'truncated', passive, truncate, count: counts.truncated });
      counts.truncated = 0;
    } catch (error) {
      failed(error);
    }
  };
  const timer = setInterval(tick, deps.periodMs ?? CHECKPOINT_PERIOD_MS);
  timer.unref();
  return {
    tick,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      try {
        deps.checkpointer.passive();
      } catch (error) {
        failed(error);
      }
      deps.checkpointer.close();
    },
  };
}
