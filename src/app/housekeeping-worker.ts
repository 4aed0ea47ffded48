import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { PruneCounts, RetentionPolicy, StorageFigures } from '../store/types.ts';
import type { HousekeepingPasses, PassOutcome, RollupCounts } from './housekeeping.ts';
import type { WriterCheckpoints } from '../store/sqlite/wal-checkpoints.ts';
import type { CheckpointReport } from './checkpoint-loop.ts';
import type { PassRequest, ThreadDatabase } from './housekeeping-messages.ts';
import { threadMessageSchema } from './housekeeping-messages.ts';

/** A checkout runs the TypeScript sources, an installed package the emitted JavaScript. */
const THREAD_ENTRY = new URL(
  import.meta.url.endsWith('.ts') ? './housekeeping-thread.ts' : './housekeeping-thread.js',
  import.meta.url,
);
const CLOSE_GRACE_MS = 30_000;

/** A pass request before it gets its id. */
type PassAsk =
  | { kind: 'rollup' }
  | { kind: 'prune'; now: number; retention: RetentionPolicy }
  | { kind: 'measure'; now: number };

const count = z.number().int().nonnegative();
const rollupCountsSchema = z.object({
  minuteBuckets: count,
  hourBuckets: count,
  dayBuckets: count,
}) satisfies z.ZodType<RollupCounts>;
const pruneCountsSchema = z.object({
  results: count,
  minuteBuckets: count,
  hourBuckets: count,
  dayBuckets: count,
  deliveries: count,
  rounds: count,
  evidence: count,
}) satisfies z.ZodType<PruneCounts>;
const bytes = z.number().nonnegative();
const storageFiguresSchema = z.object({
  fileBytes: bytes,
  usedBytes: bytes,
  rawBytes: bytes,
  rawRows: count,
  recentResults: count,
  recentSpanMs: bytes,
}) satisfies z.ZodType<StorageFigures>;

interface Pending {
  resolve(outcome: PassOutcome<Record<string, number>>): void;
  reject(error: Error): void;
}

/**
 * Rollup and prune on a worker thread with its own connection to the SQLite file (see
 * docs/adr/0006-housekeeping-thread.md): the passes' CPU and synchronous SQLite work leave
 * the daemon's event loop, and its queries no longer queue behind them on one connection.
 * The thread also checkpoints the WAL (ADR 0009): while it runs, `writer` (the daemon's writer
 * connection) has its automatic checkpoints off; whenever the thread exits they are back on.
 * With `postgres` instead of `file`, the thread opens a small pool of its own on that database
 * (no WAL there): the rollup's row handling in JavaScript stays off the event loop too.
 * Resolves once the thread has opened the database; rejects when it cannot.
 */
export async function startHousekeepingWorker(
  options: ThreadDatabase & {
    logger: Logger;
    writer?: WriterCheckpoints | undefined;
  },
): Promise<HousekeepingPasses> {
  const workerData: ThreadDatabase =
    'file' in options ? { file: options.file } : { postgres: options.postgres };
  const worker = new Worker(THREAD_ENTRY, { workerData });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let exitError: Error | undefined;
  let markReady: (error?: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = (error) => (error === undefined ? resolve() : reject(error));
  });

  worker.on('message', (raw: unknown) => {
    const message = threadMessageSchema.parse(raw);
    if (message.kind === 'checkpoint') {
      logCheckpointReport(options.logger, message.report);
      return;
    }
    if (message.kind === 'ready') {
      if (message.checkpoints === true && message.error === undefined)
        options.writer?.setAutomatic(false);
      markReady(
        message.error &&
          new AppError(message.error.code, `housekeeping thread: ${message.error.message}`),
      );
      return;
    }
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.kind === 'done') waiter?.resolve({ counts: message.counts, cpuMs: message.cpuMs });
    else waiter?.reject(new AppError(message.code, `housekeeping thread: ${message.message}`));
  });
  const fail = (error: Error): void => {
    // Nothing checkpoints for the writer any more: its commits must again, or the WAL grows.
    options.writer?.setAutomatic(true);
    exitError ??= error;
    markReady(error);
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on('error', (error: Error) => {
    options.logger.error({ err: error }, 'housekeeping thread failed');
    fail(
      new AppError('INTERNAL', `housekeeping thread failed: ${error.message}`, { cause: error }),
    );
  });
  worker.on('exit', (code) =>
    fail(new AppError('UNAVAILABLE', `housekeeping thread exited (${code})`)),
  );
  await ready;

  function ask(request: PassAsk): Promise<PassOutcome<Record<string, number>>> {
    if (exitError !== undefined) return Promise.reject(exitError);
    const id = nextId++;
    return new Promise<PassOutcome<Record<string, number>>>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  return {
    thread: 'worker',
    async rollup() {
      const { counts, cpuMs } = await ask({ kind: 'rollup' });
      return { counts: rollupCountsSchema.parse(counts), cpuMs };
    },
    async prune(now: number, retention: RetentionPolicy) {
      const { counts, cpuMs } = await ask({ kind: 'prune', now, retention });
      return { counts: pruneCountsSchema.parse(counts), cpuMs };
    },
    async measure(now: number) {
      const { counts, cpuMs } = await ask({ kind: 'measure', now });
      return { counts: storageFiguresSchema.parse(counts), cpuMs };
    },
    async close() {
      if (exitError !== undefined) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ kind: 'close' } satisfies PassRequest);
      const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The thread's checkpoint fallbacks and failures, already limited to one a minute each. */
function logCheckpointReport(logger: Logger, report: CheckpointReport): void {
  if (report.kind === 'failed') {
    logger.error(
      { reason: report.message, count: report.count },
      'housekeeping.checkpoint: WAL checkpoint failed',
    );
    return;
  }
  logger.warn(
    {
      walBytes: report.passive.walBytes,
      walPages: report.passive.walPages,
      checkpointedPages: report.passive.checkpointedPages,
      truncated: !report.truncate.busy,
      walBytesAfter: report.truncate.walBytes,
      count: report.count,
    },
    'housekeeping.checkpoint: WAL past its limit and passive checkpoints cannot finish; TRUNCATE tried',
  );
}
