import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { waitFor } from '../../../test/helpers/cli.ts';
import { workerThreadCount } from '../../../test/helpers/threads.ts';
import { createPatternPool, oneShotPatterns } from './pool.ts';

const CATASTROPHIC = {
  kind: 'regex',
  source: '^(a+)+$',
  flags: '',
  text: `${'a'.repeat(26)}!`,
} as const;
const baseline = workerThreadCount();
const pool = createPatternPool({ size: 2, deadlineMs: 150 });
after(() => pool.close());

const signal = (): AbortSignal => new AbortController().signal;

test('a regex task answers whether the text matched', async () => {
  const yes = await pool.evaluate(
    { kind: 'regex', source: 'build \\d{4}', flags: '', text: 'build 2041' },
    signal(),
  );
  const no = await pool.evaluate(
    { kind: 'regex', source: 'BUILD', flags: '', text: 'build' },
    signal(),
  );
  const folded = await pool.evaluate(
    { kind: 'regex', source: 'BUILD', flags: 'i', text: 'build' },
    signal(),
  );
  assert.deepEqual(
    [yes, no, folded],
    [
      { status: 'done', value: true },
      { status: 'done', value: false },
      { status: 'done', value: true },
    ],
  );
});

test('a catastrophic regex times out, and the pool carries on with a fresh worker', async () => {
  const before = pool.stats().timedOut;
  const outcome = await pool.evaluate(CATASTROPHIC, signal());
  assert.deepEqual(outcome, { status: 'timed-out', deadlineMs: 150 });
  assert.equal(pool.stats().timedOut, before + 1);
  const next = await pool.evaluate(
    { kind: 'regex', source: 'a+!', flags: '', text: CATASTROPHIC.text },
    signal(),
  );
  assert.deepEqual(next, { status: 'done', value: true });
});

test('tasks queue behind busy workers; the queue does not count against their deadline', async () => {
  const outcomes = await Promise.all([
    pool.evaluate(CATASTROPHIC, signal()),
    pool.evaluate(CATASTROPHIC, signal()),
    pool.evaluate({ kind: 'regex', source: 'x', flags: 'i', text: 'X' }, signal()),
  ]);
  assert.deepEqual(
    outcomes.map((outcome) => outcome.status),
    ['timed-out', 'timed-out', 'done'],
  );
});

test('aborting a running or a queued task cancels it at once', async () => {
  const running = new AbortController();
  const queued = new AbortController();
  const first = pool.evaluate(CATASTROPHIC, running.signal);
  const second = pool.evaluate(CATASTROPHIC, signal());
  const third = pool.evaluate(CATASTROPHIC, queued.signal);
  queued.abort();
  assert.deepEqual(await third, { status: 'cancelled' });
  await new Promise((resolve) => setTimeout(resolve, 20));
  running.abort();
  assert.deepEqual(await first, { status: 'cancelled' });
  assert.equal((await second).status, 'timed-out');
});

test('a json task evaluates assertions that may walk the whole document', async () => {
  const body = JSON.stringify({ items: [{ c: 1 }, { c: 2 }] });
  const passing = await pool.evaluate(
    { kind: 'json', body, truncated: false, assertions: ['$..c contains 2'] },
    signal(),
  );
  const failing = await pool.evaluate(
    { kind: 'json', body, truncated: false, assertions: ['$.items[*].c contains 3'] },
    signal(),
  );
  assert.deepEqual(passing, { status: 'done', value: undefined });
  assert.deepEqual(failing, {
    status: 'done',
    value: '$.items[*].c contains 3 failed: actual [1,2]',
  });
});

test('one-shot evaluation leaves no worker behind', async () => {
  const outcome = await oneShotPatterns.evaluate(
    { kind: 'regex', source: '\\d+', flags: '', text: 'a1' },
    signal(),
  );
  assert.deepEqual(outcome, { status: 'done', value: true });
  assert.equal(workerThreadCount(), baseline + pool.stats().workers);
});

test('close cancels what is left, and no worker thread remains', async () => {
  const pending = pool.evaluate(CATASTROPHIC, signal());
  await pool.close();
  assert.deepEqual(await pending, { status: 'cancelled' });
  assert.deepEqual(await pool.evaluate(CATASTROPHIC, signal()), { status: 'cancelled' });
  assert.equal(pool.stats().workers, 0);
  await waitFor(
    () => (workerThreadCount() === baseline ? true : undefined),
    2000,
    () => `worker threads back to ${baseline} (now ${workerThreadCount()})`,
  );
});
