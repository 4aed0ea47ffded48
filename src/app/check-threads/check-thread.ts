/**
 * A check thread's entry (started by `check-thread-pool.ts`): its share of the node's monitors
 * on a scheduler of its own, checks run here, results posted to the main thread in batches.
 * The main thread keeps everything that judges or stores a result; this thread only checks,
 * so a node's check work can use more than one core (issue #15, ADR 0011).
 */
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { runCheck } from '../../agent/check-runner.ts';
import { createPatternPool } from '../../checks/patterns/pool.ts';
import { systemClock } from '../../lib/clock.ts';
import { createLogger } from '../../observability/logger.ts';
import { createScheduler } from '../../scheduler/scheduler.ts';
import type { SchedulerStats } from '../../scheduler/types.ts';
import type { CheckThreadData, FromThread, ThreadJob, ThreadResult, ToThread } from './messages.ts';

/** Results wait at most this long before they are posted: a batch per turn, not per result. */
const POST_EVERY_MS = 5;
/** A batch this large is posted at once. */
const POST_AT = 256;

const port = parentPort;
if (port === null) throw new Error('check-thread.ts runs only as a worker thread');
const data: CheckThreadData = z
  .object({ concurrency: z.number().int().min(1), logLevel: z.string() })
  .parse(workerData);

function send(message: FromThread): void {
  port?.postMessage(message);
}

// Log lines go to the main thread, which logs them with the node's logger (and its fields).
const lines = new Writable({
  write(chunk: Buffer | string, _encoding, done) {
    send({ kind: 'log', line: chunk.toString() });
    done();
  },
});
const logger = createLogger(data.logLevel as 'info', 'json', lines).child({ part: 'check-thread' });
const patterns = createPatternPool({
  onWorkerFailure: (reason) => logger.error({ reason }, 'pattern worker failed'),
});
const shutdown = new AbortController();

let batch: ThreadResult[] = [];
let postTimer: ReturnType<typeof setTimeout> | undefined;

function post(): void {
  clearTimeout(postTimer);
  postTimer = undefined;
  if (batch.length === 0) return;
  send({ kind: 'results', results: batch, stats: scheduler.stats() });
  batch = [];
}

const scheduler = createScheduler<ThreadJob>({
  clock: systemClock,
  concurrency: data.concurrency,
  logger,
  run: async (job, plannedAt) => {
    const checkedAt = Date.now();
    const result = await runCheck(job, {
      signal: shutdown.signal,
      logger,
      monitorId: job.id,
      patterns,
    });
    if (shutdown.signal.aborted) return;
    batch.push({ monitorId: job.id, plannedAt, checkedAt, result });
    if (batch.length >= POST_AT) post();
    else postTimer ??= setTimeout(post, POST_EVERY_MS);
  },
  onSkip: ({ job, slots, reason }) =>
    logger.debug({ monitorId: job.id, slots, reason }, 'check slots skipped'),
});

async function stop(): Promise<SchedulerStats> {
  shutdown.abort();
  await scheduler.stop();
  post();
  await patterns.close();
  return scheduler.stats();
}

port.on('message', (message: ToThread) => {
  switch (message.kind) {
    case 'upsert':
      for (const job of message.jobs) scheduler.upsert(job);
      return;
    case 'remove':
      for (const id of message.ids) scheduler.remove(id);
      return;
    case 'run-now':
      scheduler.runNow(message.id);
      return;
    case 'start':
      scheduler.start();
      return;
    case 'stop':
      void stop().then((stats) => {
        send({ kind: 'stopped', stats });
        port?.close();
      });
      return;
  }
});
