import fs from 'node:fs';

/**
 * Worker threads alive in this process now, counted from the kernel's thread list (Node names
 * each worker thread `WorkerThread`), so a worker a pool lost track of is still counted.
 */
export function workerThreadCount(): number {
  let count = 0;
  for (const task of fs.readdirSync('/proc/self/task')) {
    try {
      if (fs.readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === 'WorkerThread')
        count++;
    } catch {
      // The thread ended between the listing and the read: it is not alive.
    }
  }
  return count;
}
