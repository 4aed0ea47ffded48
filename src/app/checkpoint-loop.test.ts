import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckpointOutcome, Checkpointer } from '../store/sqlite/wal-checkpoints.ts';
import type { CheckpointReport } from './checkpoint-loop.ts';
import { REPORT_EVERY_MS, WAL_LIMIT_BYTES, startCheckpointLoop } from './checkpoint-loop.ts';

const MB = 1024 * 1024;

function outcome(fields: Partial<CheckpointOutcome>): CheckpointOutcome {
  return {
    mode: 'PASSIVE',
    busy: false,
    walPages: 0,
    checkpointedPages: 0,
    walBytes: 0,
    ...fields,
  };
}

/** A checkpointer whose passive rounds return `passives` in turn (then nothing to do). */
function fakeCheckpointer(passives: (CheckpointOutcome | Error | undefined)[]) {
  const calls: string[] = [];
  const checkpointer: Checkpointer = {
    passiveIfNeeded() {
      calls.push('passiveIfNeeded');
      const next = passives.shift();
      if (next instanceof Error) throw next;
      return next;
    },
    passive() {
      calls.push('passive');
      return outcome({});
    },
    truncate() {
      calls.push('truncate');
      return outcome({ mode: 'TRUNCATE' });
    },
    close() {
      calls.push('close');
    },
  };
  return { checkpointer, calls };
}

function loop(passives: (CheckpointOutcome | Error | undefined)[]) {
  const fake = fakeCheckpointer(passives);
  const reports: CheckpointReport[] = [];
  const clock = { now: 0 };
  const running = startCheckpointLoop({
    checkpointer: fake.checkpointer,
    now: () => clock.now,
    report: (report) => reports.push(report),
    // The test ticks by hand.
    periodMs: 3_600_000,
  });
  return { running, reports, clock, calls: fake.calls };
}

test('a WAL under the limit, or one a passive checkpoint copied, is never truncated', () => {
  const { running, reports, calls } = loop([
    undefined,
    outcome({ walBytes: 10 * MB, walPages: 2_000, checkpointedPages: 1_000, busy: true }),
    outcome({ walBytes: WAL_LIMIT_BYTES * 2, walPages: 30_000, checkpointedPages: 30_000 }),
  ]);
  running.tick();
  running.tick();
  running.tick();
  running.stop();
  assert.deepEqual(calls, [
    'passiveIfNeeded',
    'passiveIfNeeded',
    'passiveIfNeeded',
    'passive',
    'close',
  ]);
  assert.deepEqual(reports, []);
});

test('past the limit with frames left, it truncates and reports at most once a minute', () => {
  const stuck = outcome({ walBytes: WAL_LIMIT_BYTES + MB, walPages: 20_000, checkpointedPages: 5 });
  const { running, reports, clock, calls } = loop([stuck, stuck, stuck]);
  running.tick();
  clock.now = REPORT_EVERY_MS - 1;
  running.tick();
  clock.now = REPORT_EVERY_MS;
  running.tick();
  running.stop();
  assert.equal(calls.filter((call) => call === 'truncate').length, 3);
  assert.deepEqual(
    reports.map((report) => [report.kind, report.count]),
    [
      ['truncated', 1],
      ['truncated', 2],
    ],
  );
  const [first] = reports;
  assert.ok(first?.kind === 'truncated');
  assert.equal(first.passive.walBytes, WAL_LIMIT_BYTES + MB);
  assert.equal(first.truncate.mode, 'TRUNCATE');
});

test('a failing checkpoint is reported, once a minute, and the loop goes on', () => {
  const { running, reports, clock, calls } = loop([
    new Error('disk I/O error'),
    new Error('disk I/O error'),
    undefined,
  ]);
  running.tick();
  clock.now = 1_000;
  running.tick();
  running.tick();
  assert.deepEqual(reports, [{ kind: 'failed', message: 'disk I/O error', count: 1 }]);
  assert.equal(calls.length, 3);
  running.stop();
});

test('stop runs one final passive checkpoint and closes; ticks after it do nothing', () => {
  const { running, calls } = loop([]);
  running.stop();
  running.stop();
  running.tick();
  assert.deepEqual(calls, ['passive', 'close']);
});
