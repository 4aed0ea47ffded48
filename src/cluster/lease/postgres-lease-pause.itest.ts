import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  descendantProcesses,
  openTcpSockets,
  settlesTo,
} from '../../../test/helpers/open-handles.ts';
import {
  recordedLease,
  startLeaseLab,
  TEST_TIMINGS,
  waitUntil,
} from '../../../test/helpers/lease-lab.ts';
import type { LeaseLab } from '../../../test/helpers/lease-lab.ts';
import { postgresBinDir } from '../../../test/helpers/postgres-server.ts';
import type { LeaseReport } from './lease-process.fixture.ts';

// (b, d) with a real pause: the holder is a child process stopped with SIGSTOP, its session and
// advisory lock still alive on the server. The other coordinator waits out the lease, terminates
// the paused holder's session and takes over; when the holder resumes it must already believe
// it holds nothing — before any of its timers run — and then hear that it lost.

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;
const CHILD = fileURLToPath(new URL('./lease-process.fixture.ts', import.meta.url));
const { ttlMs, renewEveryMs } = TEST_TIMINGS;
const SLACK_MS = 700;

describe('a paused leader (SIGSTOP) on PostgreSQL', { skip, timeout: 120_000 }, () => {
  let lab: LeaseLab;
  let baselineSockets = 0;

  before(async () => {
    lab = await startLeaseLab();
    baselineSockets = openTcpSockets();
  });

  after(async () => {
    await lab?.stop();
  });

  it('is replaced within ttl + renew, its session terminated, and it stops acting on resume', async () => {
    const reports: LeaseReport[] = [];
    const child: ChildProcess = fork(
      CHILD,
      ['coord-a', JSON.stringify(lab.connection), JSON.stringify(TEST_TIMINGS)],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    child.on('message', (message) => reports.push(message as LeaseReport));
    const b = recordedLease(lab, 'coord-b');
    try {
      await waitUntil(
        () => reports.some((r) => r.kind === 'acquired'),
        10_000,
        'the child to lead',
      );
      const [oldPid] = await lab.leaseSessions();
      await b.lease.start();
      assert.equal(b.lease.current().holding, false, 'the child leads, b stands by');

      assert.ok(child.pid !== undefined && child.kill('SIGSTOP'));
      const pausedAt = performance.now();
      await waitUntil(() => b.acquired().length > 0, ttlMs + renewEveryMs + SLACK_MS, 'takeover');
      assert.ok(performance.now() - pausedAt <= ttlMs + renewEveryMs + SLACK_MS);
      const firstEpoch = reports.find((r) => r.kind === 'acquired')?.epoch ?? 0;
      assert.deepEqual(b.acquired(), [firstEpoch + 1]);
      // The paused holder's session, and with it the advisory lock, is gone from the server.
      assert.equal((await lab.leaseSessions()).includes(oldPid ?? -1), false);

      const beforeResume = reports.length;
      child.kill('SIGCONT');
      await waitUntil(() => reports.some((r) => r.kind === 'lost'), 5_000, 'the child to hear');
      await new Promise((resolve) => setTimeout(resolve, 2 * renewEveryMs));
      const afterResume = reports.slice(beforeResume);
      // From its first sample after the pause, the child believed it held nothing.
      const samples = afterResume.filter((r) => r.kind === 'holding');
      assert.ok(samples.length > 0, 'the child reported its state after resuming');
      assert.ok(
        samples.every((r) => !r.holding),
        `the resumed child believed it held: ${JSON.stringify(samples)}`,
      );
      assert.ok(afterResume.some((r) => r.kind === 'lost'));
      assert.equal(
        reports.filter((r) => r.kind === 'acquired').length,
        1,
        'it did not take the lease back',
      );
      assert.equal(b.lease.current().holding, true);
    } finally {
      child.kill('SIGCONT');
      if (child.connected) {
        child.send('stop');
        await once(child, 'exit');
      }
      await b.lease.stop();
    }
    await waitUntil(() => descendantProcesses().length === 0, 5_000, 'the child to be gone');
    await waitUntil(
      async () => (await lab.leaseSessions()).length === 0,
      5_000,
      'no lease session',
    );
    await settlesTo(openTcpSockets, baselineSockets, 'sockets after the test');
  });
});
