/**
 * The housekeeping thread's entry (started by `housekeeping-worker.ts`): rollup and prune
 * passes on a SQLite connection of its own. With WAL, the daemon's readers never wait for it,
 * and the rollup writes in transactions of a few ms, so the daemon's writers wait at most that.
 * It also checkpoints the WAL on a connection of its own, off the daemon's commits (ADR 0009).
 * On PostgreSQL: a pool of two connections of its own, and no checkpoints (the server's job).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../lib/errors.ts';
import { postgresTls } from '../config/database-config.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.ts';
import { openCheckpointer } from '../store/sqlite/wal-checkpoints.ts';
import type { Store } from '../store/types.ts';
import type { CheckpointLoop } from './checkpoint-loop.ts';
import { TRUNCATE_WAIT_MS, startCheckpointLoop } from './checkpoint-loop.ts';
import { threadCpuMs } from './housekeeping.ts';
import type { PassRequest, ThreadMessage } from './housekeeping-messages.ts';
import { passRequestSchema, threadDatabaseSchema } from './housekeeping-messages.ts';

const port = parentPort;
if (port === null) throw new Error('housekeeping-thread.ts runs only as a worker thread');
const database = threadDatabaseSchema.parse(workerData);

function send(message: ThreadMessage): void {
  port?.postMessage(message);
}

function failure(error: unknown): { code: AppError['code']; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

async function run(store: Store, request: PassRequest): Promise<void> {
  if (request.kind === 'close') {
    // The final checkpoint, before the daemon's writer closes last (and checkpoints the rest).
    checkpoints?.stop();
    await store.close();
    port?.close();
    return;
  }
  const before = threadCpuMs();
  try {
    const counts =
      request.kind === 'rollup'
        ? await store.rollup()
        : request.kind === 'prune'
          ? await store.prune(request.now, request.retention)
          : await store.storageFigures(request.now);
    send({ kind: 'done', id: request.id, counts: { ...counts }, cpuMs: threadCpuMs() - before });
  } catch (error) {
    send({ kind: 'failed', id: request.id, ...failure(error) });
  }
}

/** The WAL checkpoints the daemon's writer leaves to this thread (ADR 0009), if a WAL file. */
function startCheckpoints(file: string): CheckpointLoop | undefined {
  const checkpointer = openCheckpointer(file, { truncateWaitMs: TRUNCATE_WAIT_MS });
  if (checkpointer === undefined) return undefined;
  return startCheckpointLoop({
    checkpointer,
    now: () => Date.now(),
    report: (report) => send({ kind: 'checkpoint', report }),
  });
}

let store: Store | undefined;
let checkpoints: CheckpointLoop | undefined;
try {
  if ('file' in database) {
    store = await openSqliteStore({ file: database.file });
    checkpoints = startCheckpoints(database.file);
  } else {
    const { url, sslmode, caPem } = database.postgres;
    // Loaded only here: a SQLite coordinator's thread never loads pg.
    const { openPostgresStore } = await import('../store/postgres/open-postgres-store.ts');
    store = await openPostgresStore({
      url,
      ssl: postgresTls(sslmode, caPem ?? undefined),
      poolSize: 2,
    });
  }
} catch (error) {
  // Said once, as the answer to the start, and the thread ends. Throwing as well would race
  // this message with the worker's error event, which carries no error code.
  send({ kind: 'ready', error: failure(error) });
  port.close();
  await store?.close();
  process.exit(1);
}
send({ kind: 'ready', checkpoints: checkpoints !== undefined });
const opened: Store = store;
// One pass at a time, in the order asked.
let queue = Promise.resolve();
port.on('message', (message: unknown) => {
  const request = passRequestSchema.parse(message);
  queue = queue.then(() => run(opened, request));
});
