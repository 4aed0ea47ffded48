/**
 * Child process for the pause test: one coordinator's lease, reporting over IPC what it is told
 * and every change of `current().holding` (sampled every 10 ms, with the wall clock), so the
 * parent can SIGSTOP and SIGCONT a real process and see what it believed around the pause.
 *
 *   fork lease-process.fixture.ts <self> <connection JSON> <timings JSON>
 */
import { systemClock } from '../../lib/clock.ts';
import { silentLogger } from '../../observability/logger.ts';
import type { LeaseConnectionConfig } from './lease-connection.ts';
import type { LeaseTimings } from './lease-decision.ts';
import { createPostgresLease } from './postgres-lease.ts';

/** What the child reports. */
export type LeaseReport =
  | { kind: 'acquired'; epoch: number; at: number }
  | { kind: 'lost'; reason: string; at: number }
  | { kind: 'holding'; holding: boolean; epoch: number; at: number }
  | { kind: 'stopped' };

const [self, connectionJson, timingsJson] = process.argv.slice(2);
if (self === undefined || connectionJson === undefined || timingsJson === undefined)
  throw new Error('usage: lease-process.fixture.ts <self> <connection JSON> <timings JSON>');

const report = (message: LeaseReport): void => {
  process.send?.(message);
};

const lease = createPostgresLease({
  connection: JSON.parse(connectionJson) as LeaseConnectionConfig,
  self,
  timings: JSON.parse(timingsJson) as LeaseTimings,
  clock: systemClock,
  logger: silentLogger(),
  events: {
    acquired: (epoch) => report({ kind: 'acquired', epoch, at: Date.now() }),
    lost: (reason) => report({ kind: 'lost', reason, at: Date.now() }),
  },
});

let holding: boolean | null = null;
const sampler = setInterval(() => {
  const now = lease.current();
  if (now.holding === holding) return;
  holding = now.holding;
  report({ kind: 'holding', holding: now.holding, epoch: now.epoch, at: Date.now() });
}, 10);

process.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(sampler);
  void lease.stop().then(() => {
    report({ kind: 'stopped' });
    process.disconnect();
  });
});

await lease.start();
