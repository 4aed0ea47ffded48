import type { RecordedResult } from '../../domain/check-result.ts';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import { isStorageFull } from '../../lib/errors.ts';
import { createRepeatGate } from '../../lib/repeat-gate.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Outbox } from './outbox.ts';

/** A failing disk fails every flush: one log line per minute, with the repeats counted. */
const FAILURE_REPORT_INTERVAL_MS = 60_000;

/** Retrying a failed write sooner than this only repeats the failure. */
const MIN_RETRY_MS = 1_000;

/**
 * Most results held in memory while outbox writes fail (a full disk): a bound on memory, and
 * at one check per second per monitor still minutes of results for a large agent.
 */
export const DEFAULT_MAX_HELD_RESULTS = 20_000;

/** Batches an agent's results into its outbox, holding them in memory while writes fail. */
export interface OutboxWriter {
  /** Buffers a result; it is written with the next flush. */
  add(result: RecordedResult): void;
  /** Writes everything buffered now; false when the write failed (the results are kept). */
  flush(): boolean;
  /** Results in memory: buffered for the next flush, or kept after a failed write. */
  held(): number;
  /** Results dropped (oldest first) because writes kept failing beyond the memory bound. */
  dropped(): number;
  /** Stops the timer; results still in memory are logged as lost. */
  stop(): void;
}

export interface OutboxWriterOptions {
  outbox: Pick<Outbox, 'append'>;
  clock: Clock;
  logger: Logger;
  flushIntervalMs: number;
  maxHeldResults?: number;
  /** Called after results were written (send them to the coordinator). */
  onWritten: (count: number) => void;
}

export function createOutboxWriter(options: OutboxWriterOptions): OutboxWriter {
  const { outbox, clock, logger } = options;
  const maxHeld = options.maxHeldResults ?? DEFAULT_MAX_HELD_RESULTS;
  const gate = createRepeatGate(FAILURE_REPORT_INTERVAL_MS);
  let buffer: RecordedResult[] = [];
  let timer: TimerHandle | undefined;
  let droppedTotal = 0;
  let failing = false;

  function schedule(delayMs: number): void {
    timer ??= clock.setTimeout(() => {
      timer = undefined;
      flush();
    }, delayMs);
  }

  /** Keeps the newest results within the bound: they say most about the targets now. */
  function trimToBound(): number {
    const excess = buffer.length - maxHeld;
    if (excess <= 0) return 0;
    buffer = buffer.slice(excess);
    droppedTotal += excess;
    return excess;
  }

  function reportFailure(error: unknown, droppedNow: number): void {
    const decision = gate.occur(clock.now());
    if (!decision.log) return;
    logger.error(
      {
        err: error,
        storageFull: isStorageFull(error),
        heldInMemory: buffer.length,
        maxHeldInMemory: maxHeld,
        droppedNow,
        droppedTotal,
        suppressedRepeats: decision.suppressed,
      },
      'writing results to the outbox failed: they are held in memory and written again every few seconds; beyond the memory bound the oldest are dropped (droppedTotal); free space on the data dir disk',
    );
  }

  function flush(): boolean {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return true;
    const batch = buffer;
    buffer = [];
    try {
      outbox.append(batch);
    } catch (error) {
      buffer = batch.concat(buffer);
      failing = true;
      reportFailure(error, trimToBound());
      schedule(Math.max(options.flushIntervalMs, MIN_RETRY_MS));
      return false;
    }
    if (failing) {
      failing = false;
      logger.info(
        { written: batch.length, droppedTotal },
        'writing results to the outbox works again; the results held in memory are written',
      );
    }
    options.onWritten(batch.length);
    return true;
  }

  return {
    add(result) {
      buffer.push(result);
      // While writes fail the retry timer is pending: the bound holds between retries too.
      if (failing) trimToBound();
      schedule(options.flushIntervalMs);
    },
    flush,
    held: () => buffer.length,
    dropped: () => droppedTotal,
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      if (buffer.length > 0)
        logger.error(
          { results: buffer.length },
          'results not written to the outbox at shutdown (the disk still fails) are lost',
        );
    },
  };
}
