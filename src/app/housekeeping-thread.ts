/**
 * The housekeeping thread's entry (started by `housekeeping-worker.ts`): rollup and prune
 * passes on a SQLite connection of its own. With WAL, the daemon's readers never wait for it,
 * and the rollup writes in transactions of a few ms, so the daemon's writers wait at most that.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.ts';
import type { Store } from '../store/types.ts';
import { threadCpuMs } from './housekeeping.ts';
import type { PassRequest, ThreadMessage } from './housekeeping-messages.ts';
import { passRequestSchema } from './housekeeping-messages.ts';

const port = parentPort;
if (port === null) throw new Error('housekeeping-thread.ts runs only as a worker thread');
const { file } = z.object({ file: z.string() }).parse(workerData);

function send(message: ThreadMessage): void {
  port?.postMessage(message);
}

function failure(error: unknown): { code: AppError['code']; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

async function run(store: Store, request: PassRequest): Promise<void> {
  if (request.kind === 'close') {
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

let store: Store;
try {
  store = await openSqliteStore({ file });
} catch (error) {
  send({ kind: 'ready', error: failure(error) });
  port.close();
  throw error;
}
send({ kind: 'ready' });
// One pass at a time, in the order asked.
let queue = Promise.resolve();
port.on('message', (message: unknown) => {
  const request = passRequestSchema.parse(message);
  queue = queue.then(() => run(store, request));
});
