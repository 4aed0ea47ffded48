import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  PatternAnswers,
  PatternEvaluator,
  PatternOutcome,
  PatternTask,
} from '../pattern-evaluator.ts';
import { PATTERN_DEADLINE_MS } from '../pattern-evaluator.ts';
import type { WorkerReply } from './worker-protocol.ts';

/** A small pool of pattern workers; `close` terminates every one of them. */
export interface PatternPool extends PatternEvaluator {
  /** Cancels queued and running tasks and waits until no worker thread is left. */
  close(): Promise<void>;
  stats(): PatternPoolStats;
}

export interface PatternPoolStats {
  /** Worker threads alive now (started lazily, one per busy slot at most). */
  workers: number;
  queued: number;
  /** Tasks stopped at their deadline since the pool started (each cost one worker). */
  timedOut: number;
}

export interface PatternPoolOptions {
  /** Worker threads at most; 2 by default (the machines this runs on have few cores). */
  size?: number;
  /** A task's deadline in the worker's CPU time (queueing and waiting for a core excluded). */
  deadlineMs?: number;
  /** Called when a worker dies on its own (a crash, out of memory): a node problem. */
  onWorkerFailure?(reason: string): void;
}

type AnyOutcome = PatternOutcome<PatternAnswers[PatternTask['kind']]>;

interface Job {
  id: number;
  task: PatternTask;
  /** Ends the job once: removes its abort listener and answers the caller. */
  settle(outcome: AnyOutcome): void;
}

interface Slot {
  worker: Worker | undefined;
  /** The worker has loaded its code and listens (startup time is not the pattern's). */
  ready: boolean;
  job: Job | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

// Source checkouts run `worker.ts`; the built package runs `worker.js` beside this file.
const here = fileURLToPath(import.meta.url);
const WORKER_FILE = path.join(path.dirname(here), `worker${path.extname(here)}`);
/** A worker parses at most a 1 MiB body; far more heap than that means something is wrong. */
const WORKER_HEAP_MB = 128;

/** The shortest wait before the CPU time of a task is read again. */
const MIN_REARM_MS = 10;

/** CPU time (user + system) the worker spent since `start`, in milliseconds. */
async function cpuMsSince(worker: Worker, start: Promise<NodeJS.CpuUsage>): Promise<number> {
  const used = await worker.cpuUsage(await start);
  return (used.user + used.system) / 1000;
}

/** Starts no thread until a task needs one; a task over its deadline costs its worker. */
export function createPatternPool(options: PatternPoolOptions = {}): PatternPool {
  const deadlineMs = options.deadlineMs ?? PATTERN_DEADLINE_MS;
  const slots: Slot[] = Array.from({ length: Math.max(1, options.size ?? 2) }, () => ({
    worker: undefined,
    ready: false,
    job: undefined,
    timer: undefined,
  }));
  const queue: Job[] = [];
  const exiting = new Set<Promise<number>>();
  let nextId = 1;
  let timedOut = 0;
  let closed = false;

  function spawn(slot: Slot): void {
    const worker = new Worker(WORKER_FILE, {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    slot.worker = worker;
    slot.ready = false;
    worker.on('message', (reply: WorkerReply) => onReply(slot, worker, reply));
    worker.on('error', (error: Error) => onWorkerDeath(slot, worker, error.message));
    worker.on('exit', (code) => onWorkerDeath(slot, worker, `worker exited with code ${code}`));
  }

  function onReply(slot: Slot, worker: Worker, reply: WorkerReply): void {
    if (slot.worker !== worker) return;
    if (reply.type === 'ready') {
      slot.ready = true;
      return void dispatch();
    }
    const job = slot.job;
    if (job === undefined || job.id !== reply.id) return;
    release(slot);
    job.settle(
      reply.type === 'answer'
        ? { status: 'done', value: reply.value }
        : { status: 'failed', reason: reply.reason },
    );
    dispatch();
  }

  function onWorkerDeath(slot: Slot, worker: Worker, reason: string): void {
    if (slot.worker !== worker) return;
    const job = slot.job;
    const neverReady = !slot.ready;
    release(slot);
    slot.worker = undefined;
    slot.ready = false;
    options.onWorkerFailure?.(reason);
    const failed: AnyOutcome = { status: 'failed', reason: `pattern worker failed: ${reason}` };
    job?.settle(failed);
    // A worker that cannot even start would fail again at once: answer the queue instead.
    if (neverReady) for (const queued of queue.splice(0)) queued.settle(failed);
    dispatch();
  }

  function release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
  }

  /**
   * Stops the slot's worker (its task is lost with it) and starts its replacement now, so the
   * next task does not wait for a worker to load (a pattern that timed out runs again next time).
   */
  function retire(slot: Slot): void {
    const worker = slot.worker;
    release(slot);
    slot.worker = undefined;
    slot.ready = false;
    if (worker !== undefined) {
      const exit = worker.terminate();
      exiting.add(exit);
      void exit.finally(() => exiting.delete(exit));
    }
    if (!closed) spawn(slot);
  }

  /** The caller gave up on a job: drop it from the queue, or stop the worker running it. */
  function cancel(job: Job): void {
    const index = queue.indexOf(job);
    if (index >= 0) queue.splice(index, 1);
    const slot = slots.find((candidate) => candidate.job === job);
    if (slot !== undefined) retire(slot);
    job.settle({ status: 'cancelled' });
    dispatch();
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (queue.length === 0 || closed) return;
      if (slot.job !== undefined) continue;
      if (slot.worker === undefined) spawn(slot);
      if (!slot.ready) continue;
      const job = queue.shift();
      if (job !== undefined) start(slot, job);
    }
  }

  /**
   * Runs the job on the slot's worker. The deadline counts the worker's own CPU time: on a
   * loaded machine a thread may wait for a core, and that wait is not the pattern's doing.
   * When the wall-clock timer fires early in CPU terms it is re-armed for what is left; the
   * check's own timeout (its signal) bounds the wall time.
   */
  function start(slot: Slot, job: Job): void {
    const worker = slot.worker;
    if (worker === undefined) return;
    slot.job = job;
    const cpuAtStart = worker.cpuUsage();
    const arm = (delayMs: number): void => {
      slot.timer = setTimeout(() => void checkDeadline(), delayMs);
    };
    const checkDeadline = async (): Promise<void> => {
      const usedMs = await cpuMsSince(worker, cpuAtStart).catch(() => deadlineMs);
      if (slot.job !== job) return;
      if (usedMs < deadlineMs) return arm(Math.max(MIN_REARM_MS, deadlineMs - usedMs));
      timedOut++;
      retire(slot);
      job.settle({ status: 'timed-out', deadlineMs });
      dispatch();
    };
    arm(deadlineMs);
    worker.postMessage({ id: job.id, task: job.task });
  }

  return {
    evaluate<K extends PatternTask['kind']>(
      task: Extract<PatternTask, { kind: K }>,
      signal: AbortSignal,
    ): Promise<PatternOutcome<PatternAnswers[K]>> {
      if (closed || signal.aborted) return Promise.resolve({ status: 'cancelled' });
      return new Promise((resolve) => {
        let settled = false;
        const onAbort = (): void => cancel(job);
        const job: Job = {
          id: nextId++,
          task,
          settle: (outcome) => {
            if (settled) return;
            settled = true;
            signal.removeEventListener('abort', onAbort);
            // The worker answers the task it was given, so the answer has that task's type.
            resolve(outcome as PatternOutcome<PatternAnswers[K]>);
          },
        };
        signal.addEventListener('abort', onAbort, { once: true });
        queue.push(job);
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.settle({ status: 'cancelled' });
      for (const slot of slots) {
        const job = slot.job;
        retire(slot);
        job?.settle({ status: 'cancelled' });
      }
      await Promise.all([...exiting]);
    },
    stats: () => ({
      workers: slots.filter((slot) => slot.worker !== undefined).length,
      queued: queue.length,
      timedOut,
    }),
  };
}

/**
 * An evaluator for one-off checks (`crosscheck check`, tests): a fresh one-worker pool per
 * task, closed when the task ends, so nothing is left running. A daemon uses one shared pool.
 */
export const oneShotPatterns: PatternEvaluator = {
  async evaluate(task, signal) {
    const pool = createPatternPool({ size: 1 });
    try {
      return await pool.evaluate(task, signal);
    } finally {
      await pool.close();
    }
  },
};
