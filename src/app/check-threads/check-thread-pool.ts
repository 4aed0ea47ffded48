/**
 * The main thread's side of the check threads: each monitor lives on one thread (by a hash of
 * its id), changes are forwarded in batches, and results come back in batches for the engine
 * to judge and record. A thread that dies is started again with its monitors (logged), so one
 * crash costs at most the checks it had in flight.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../observability/logger.ts';
import type { SchedulerStats } from '../../scheduler/types.ts';
import type { CheckThreadData, FromThread, ThreadJob, ThreadResult, ToThread } from './messages.ts';

// Source checkouts run `check-thread.ts`; the built package runs `check-thread.js`.
const here = fileURLToPath(import.meta.url);
const THREAD_FILE = path.join(path.dirname(here), `check-thread${path.extname(here)}`);
/**
 * A check's objects live from its start to its answer (ms to seconds) with hundreds in flight:
 * in the young generation `--optimize-for-size` gives, they survive scavenges and fill the old
 * generation. 64 MB keeps them young: 30,000 http monitors at 30 s, 647 → 522 µs of CPU per
 * check and lag p99 2.9 s → 86 ms, RSS unchanged (bench/README.md, "Check threads").
 */
const YOUNG_GENERATION_MB = 64;
/** How long `stop()` waits for a thread to say it stopped before terminating it. */
const STOP_WAIT_MS = 15_000;

export interface CheckThreadPoolOptions {
  threads: number;
  /** Checks in flight at once, across the threads (each gets its share). */
  concurrency: number;
  logger: Logger;
  onResults(results: readonly ThreadResult[]): void;
}

export interface CheckThreadPool {
  upsert(job: ThreadJob): void;
  remove(id: string): void;
  runNow(id: string): void;
  start(): void;
  stop(): Promise<void>;
  stats(): SchedulerStats;
  /** The threads as they run now (tests end one to prove a restart). */
  workers(): readonly Worker[];
}

interface Thread {
  index: number;
  worker: Worker;
  jobs: Map<string, ThreadJob>;
  outbox: { upserts: ThreadJob[]; removes: string[] };
  stats: SchedulerStats;
  stopped: (() => void) | undefined;
}

const EMPTY_STATS: SchedulerStats = {
  jobs: 0,
  inFlight: 0,
  queued: 0,
  runsStarted: 0,
  runsCompleted: 0,
  runsFailed: 0,
  runsSkipped: 0,
  lagMs: { samples: 0, p50: 0, p99: 0, max: 0 },
};

/** FNV-1a over the id's UTF-16 units: a stable, even spread of ids over threads. */
function threadOf(id: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

/** Adds scheduler figures of several threads; lag figures are the worst thread's. */
export function sumStats(all: readonly SchedulerStats[]): SchedulerStats {
  const total = structuredClone(EMPTY_STATS);
  for (const s of all) {
    total.jobs += s.jobs;
    total.inFlight += s.inFlight;
    total.queued += s.queued;
    total.runsStarted += s.runsStarted;
    total.runsCompleted += s.runsCompleted;
    total.runsFailed += s.runsFailed;
    total.runsSkipped += s.runsSkipped;
    total.lagMs = {
      samples: total.lagMs.samples + s.lagMs.samples,
      p50: Math.max(total.lagMs.p50, s.lagMs.p50),
      p99: Math.max(total.lagMs.p99, s.lagMs.p99),
      max: Math.max(total.lagMs.max, s.lagMs.max),
    };
  }
  return total;
}

/** Starts `threads` check threads at once; they check nothing until `upsert` and `start`. */
export function createCheckThreadPool(options: CheckThreadPoolOptions): CheckThreadPool {
  const { logger } = options;
  const data: CheckThreadData = {
    concurrency: Math.max(1, Math.ceil(options.concurrency / options.threads)),
    logLevel: logger.level,
  };
  let started = false;
  let stopping = false;
  let flushQueued = false;

  function spawn(index: number, jobs: Map<string, ThreadJob>): Thread {
    const worker = new Worker(THREAD_FILE, {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    const thread: Thread = {
      index,
      worker,
      jobs,
      outbox: { upserts: [...jobs.values()], removes: [] },
      stats: EMPTY_STATS,
      stopped: undefined,
    };
    worker.on('message', (message: FromThread) => onMessage(thread, message));
    worker.on('error', (error: Error) => onDeath(thread, error.message));
    worker.on('exit', (code) => onDeath(thread, `exited with code ${code}`));
    if (started) send(thread, { kind: 'start' });
    queueFlush();
    return thread;
  }

  const threads: Thread[] = Array.from({ length: options.threads }, (_, index) =>
    spawn(index, new Map()),
  );

  function onMessage(thread: Thread, message: FromThread): void {
    if (message.kind === 'results') {
      thread.stats = message.stats;
      options.onResults(message.results);
    } else if (message.kind === 'log') {
      relayLog(logger, message.line);
    } else {
      thread.stats = message.stats;
      thread.stopped?.();
    }
  }

  function onDeath(thread: Thread, reason: string): void {
    if (threads[thread.index] !== thread) return;
    if (stopping) {
      thread.stopped?.();
      return;
    }
    logger.error(
      { thread: thread.index, monitors: thread.jobs.size, reason },
      'a check thread stopped unexpectedly; starting it again with its monitors',
    );
    threads[thread.index] = spawn(thread.index, thread.jobs);
  }

  function send(thread: Thread, message: ToThread): void {
    thread.worker.postMessage(message);
  }

  // Changes are sent once per turn of the event loop, so a snapshot of 100,000 monitors is
  // a few messages, not 100,000.
  function queueFlush(): void {
    if (flushQueued) return;
    flushQueued = true;
    queueMicrotask(() => {
      flushQueued = false;
      for (const thread of threads) {
        const { upserts, removes } = thread.outbox;
        if (removes.length > 0) send(thread, { kind: 'remove', ids: removes });
        if (upserts.length > 0) send(thread, { kind: 'upsert', jobs: upserts });
        thread.outbox = { upserts: [], removes: [] };
      }
    });
  }

  function threadFor(id: string): Thread {
    const thread = threads[threadOf(id, threads.length)];
    if (thread === undefined) throw new Error('check thread pool has no threads');
    return thread;
  }

  return {
    upsert(job) {
      const thread = threadFor(job.id);
      thread.jobs.set(job.id, job);
      thread.outbox.upserts.push(job);
      queueFlush();
    },
    remove(id) {
      const thread = threadFor(id);
      if (!thread.jobs.delete(id)) return;
      thread.outbox.removes.push(id);
      queueFlush();
    },
    runNow(id) {
      const thread = threadFor(id);
      // After the pending upserts, so a new monitor's first run finds its job.
      queueMicrotask(() => send(thread, { kind: 'run-now', id }));
    },
    start() {
      started = true;
      for (const thread of threads) send(thread, { kind: 'start' });
    },
    async stop() {
      stopping = true;
      await Promise.all(threads.map((thread) => stopThread(thread)));
    },
    stats: () => sumStats(threads.map((thread) => thread.stats)),
    workers: () => threads.map((thread) => thread.worker),
  };

  async function stopThread(thread: Thread): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      thread.stopped = resolve;
    });
    send(thread, { kind: 'stop' });
    const timer = setTimeout(() => thread.stopped?.(), STOP_WAIT_MS);
    await stopped;
    clearTimeout(timer);
    await thread.worker.terminate();
  }
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** Logs a check thread's pino line with the node's logger (its level name, fields, message). */
function relayLog(logger: Logger, line: string): void {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    logger.warn({ line }, 'unreadable log line from a check thread');
    return;
  }
  const { level, msg, time: _time, pid: _pid, hostname: _host, app: _app, ...fields } = record;
  // pino's own numbers → names map, the same levels the thread's logger wrote with.
  const name = typeof level === 'number' ? (logger.levels.labels[level] ?? 'info') : 'info';
  const method = LEVELS.has(name) ? (name as 'info') : 'info';
  logger[method](fields, typeof msg === 'string' ? msg : 'check thread');
}
