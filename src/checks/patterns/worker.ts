import { parentPort } from 'node:worker_threads';
import { createPatternTaskRunner } from './tasks.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

// A pattern worker (see pool.ts): runs one task at a time; the pool terminates it at the deadline.
const port = parentPort;
if (port !== null) {
  const runPatternTask = createPatternTaskRunner();
  const reply = (message: WorkerReply): void => port.postMessage(message);
  port.on('message', ({ id, task }: WorkerRequest) => {
    try {
      reply({ type: 'answer', id, value: runPatternTask(task) });
    } catch (error) {
      reply({ type: 'failed', id, reason: error instanceof Error ? error.message : String(error) });
    }
  });
  reply({ type: 'ready' });
}
