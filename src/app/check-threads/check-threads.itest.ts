import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RecordedResult } from '../../domain/check-result.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { getCheck } from '../../checks/registry.ts';
import { systemClock } from '../../lib/clock.ts';
import { makeMonitor } from '../../store/contract/fixtures.ts';
import { capturedLogger } from '../../../test/helpers/captured-logger.ts';
import { waitFor } from '../../../test/helpers/cli.ts';
import { startHttpServer } from '../../../test/helpers/http-servers.ts';
import type { TestServer } from '../../../test/helpers/http-servers.ts';
import { workerThreadCount } from '../../../test/helpers/threads.ts';
import { createCheckEngine } from '../check-engine.ts';
import type { CheckThreadsSetting } from './check-thread-lane.ts';
import { createCheckThreadPool } from './check-thread-pool.ts';
import type { ThreadResult } from './messages.ts';

// Checks on threads (issue #15): the engine hands the registry's checks to threads and judges
// and records every result on the main thread, as it does for checks it runs itself.

let server: TestServer;
/** Requests per path, so a test sees which target a check really asked. */
const hits = new Map<string, number>();
let threadsBefore = 0;

before(async () => {
  threadsBefore = workerThreadCount();
  server = await startHttpServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    res.end(req.url === '/fail' ? 'no' : 'ok');
  });
});
after(async () => {
  await server.close();
});

/** Options as stored: parsed by the type's schema, defaults filled. */
function httpOptions(input: Record<string, unknown> = {}): Record<string, unknown> {
  return getCheck('http').optionsSchema.parse(input) as Record<string, unknown>;
}

function monitor(id: string, overrides: Partial<Monitor> = {}): Monitor {
  return makeMonitor(id, {
    target: `${server.origin}/${id}`,
    intervalMs: 1_000,
    timeoutMs: 2_000,
    options: httpOptions(),
    ...overrides,
  });
}

function engineWith(
  threads: CheckThreadsSetting,
  judge: (m: Monitor, result: RecordedResult['status']) => void = () => undefined,
) {
  const results: RecordedResult[] = [];
  const judged: string[] = [];
  const lags: number[] = [];
  /** Each result's planned slot (checkedAt − its start lag, observed just before it). */
  const planned = new Map<string, number[]>();
  const { logger, lines } = capturedLogger();
  const engine = createCheckEngine({
    clock: systemClock,
    logger,
    concurrency: 16,
    nodeId: 'node-1',
    placement: { region: 'eu', labels: {} },
    coordinator: true,
    onResult: (result) => {
      results.push(result);
      const slots = planned.get(result.monitorId) ?? [];
      slots.push(result.checkedAt - (lags.at(-1) ?? 0));
      planned.set(result.monitorId, slots);
    },
    observeCheck: (_type, _status, _latency, lag) => lags.push(lag),
    judgeResult: (m, result) => {
      judged.push(m.id);
      judge(m, result.status);
      return m.id === 'rejects' ? Promise.reject(new Error('judge failed later')) : result;
    },
    threads,
  });
  const of = (id: string) => results.filter((r) => r.monitorId === id);
  return { engine, results, judged, lags, planned, lines, of };
}

describe('check threads', () => {
  it('run every monitor on threads and record its results on the main thread', async () => {
    const { engine, results, judged, lags, lines, of } = engineWith({ count: 2, fromMonitors: 0 });
    const ids = Array.from({ length: 12 }, (_, i) => `t${i}`);
    engine.replaceAll(ids.map((id) => monitor(id)));
    engine.start();
    try {
      await waitFor(() => (ids.every((id) => of(id).length >= 2) ? true : undefined), 15_000);
      assert.equal(workerThreadCount() - threadsBefore, 2, 'two check threads');
      for (const id of ids) {
        assert.ok((hits.get(`/${id}`) ?? 0) >= 2, `${id} asked its own target`);
        for (const r of of(id)) {
          assert.equal(r.status, 'up', r.message);
          assert.equal(r.nodeId, 'node-1');
          assert.match(r.id, /^[0-9a-f-]{36}$/);
        }
      }
      assert.equal(judged.length, results.length, 'every result judged on the main thread');
      assert.equal(lags.length, results.length, 'every result observed with its start lag');
      assert.ok(lines.some((l) => l.msg === 'check threads started' && l.threads === 2));
      const stats = engine.stats();
      assert.equal(stats.jobs, 12);
      assert.ok(stats.runsCompleted >= 24 - 1, `threads report their runs: ${stats.runsCompleted}`);
    } finally {
      await engine.stop();
    }
    await waitFor(() => (workerThreadCount() === threadsBefore ? true : undefined), 10_000);
  });

  it('follow edits, removals and run-now, and keep main-thread-only types at home', async () => {
    const { engine, results, of } = engineWith({ count: 2, fromMonitors: 0 });
    engine.replaceAll([
      monitor('edit'),
      monitor('gone'),
      monitor('hourly', { intervalMs: 3_600_000 }),
      makeMonitor('beat', {
        type: 'push',
        target: '',
        options: getCheck('push').optionsSchema.parse({
          token: 'x'.repeat(32),
          periodMs: 60_000,
        }) as Record<string, unknown>,
        intervalMs: 1_000,
      }),
    ]);
    engine.start();
    try {
      await waitFor(
        () => (of('edit').length >= 1 && of('gone').length >= 1 ? true : undefined),
        10_000,
      );
      engine.upsert(
        monitor('edit', {
          target: `${server.origin}/fail`,
          options: httpOptions({ expectedStatus: [201] }),
          updatedAt: Date.now(),
        }),
      );
      engine.remove('gone');
      const goneAt = of('gone').length;
      const hourlyBefore = of('hourly').length;
      assert.equal(engine.runNow('hourly'), true);
      await waitFor(() => (of('hourly').length > hourlyBefore ? true : undefined), 10_000);
      await waitFor(() => (of('edit').some((r) => r.status === 'down') ? true : undefined), 10_000);
      assert.ok((hits.get('/fail') ?? 0) >= 1, 'the edited target is checked');
      // A run in flight at the removal may still land; nothing is planned after it.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      assert.ok(of('gone').length <= goneAt + 1, 'a removed monitor stops');
      assert.equal(engine.runNow('gone'), false);
      // The push monitor is judged on the main thread (its pings arrive there).
      assert.ok(of('beat').length >= 1, 'push results still come from the main thread');
      assert.ok(results.length > 0);
    } finally {
      await engine.stop();
    }
  });

  it('start only once the node runs enough monitors, moving the ones already running', async () => {
    const { engine, lines, of, planned } = engineWith({ count: 1, fromMonitors: 3 });
    engine.replaceAll([monitor('a'), monitor('b')]);
    engine.start();
    try {
      await waitFor(() => (of('a').length >= 1 && of('b').length >= 1 ? true : undefined), 10_000);
      assert.equal(workerThreadCount(), threadsBefore, 'no thread for two monitors');
      engine.upsert(monitor('c'));
      await waitFor(
        () => (lines.some((l) => l.msg === 'check threads started') ? true : undefined),
        5_000,
      );
      const since = Date.now();
      await waitFor(
        () =>
          ['a', 'b', 'c'].every((id) => of(id).some((r) => r.checkedAt > since + 1_000))
            ? true
            : undefined,
        10_000,
      );
      assert.equal(workerThreadCount() - threadsBefore, 1);
      // Moving a monitor never runs one of its slots twice (on the main thread and a thread).
      for (const id of ['a', 'b']) {
        const slots = planned.get(id) ?? [];
        assert.equal(
          new Set(slots).size,
          slots.length,
          `${id} ran a slot twice: ${slots.join(', ')}`,
        );
      }
    } finally {
      await engine.stop();
    }
  });

  it('log a result that cannot be judged or recorded, and record the rest of its batch', async () => {
    const { engine, lines, of } = engineWith({ count: 1, fromMonitors: 0 }, (m) => {
      if (m.id === 'throws') throw new Error('judge failed');
    });
    engine.replaceAll([monitor('throws'), monitor('rejects'), monitor('fine')]);
    engine.start();
    try {
      await waitFor(() => (of('fine').length >= 3 ? true : undefined), 10_000);
      const failures = lines.filter((l) => l.msg === 'a check thread result could not be recorded');
      for (const id of ['throws', 'rejects']) {
        assert.equal(of(id).length, 0, `${id} recorded nothing`);
        assert.ok(
          failures.some((l) => l.monitorId === id),
          `${id}'s failure is logged with its monitor`,
        );
      }
    } finally {
      await engine.stop();
    }
  });

  it('start a thread that dies again with its monitors, and log it', async () => {
    const { logger, lines } = capturedLogger();
    const got: ThreadResult[] = [];
    const pool = createCheckThreadPool({
      threads: 1,
      concurrency: 8,
      logger,
      onResults: (results) => got.push(...results),
    });
    for (const id of ['x', 'y']) {
      const m = monitor(id);
      pool.upsert({
        id,
        intervalMs: m.intervalMs,
        timeoutMs: m.timeoutMs,
        type: m.type,
        target: m.target,
        options: m.options,
      });
    }
    pool.start();
    try {
      await waitFor(() => (got.length >= 2 ? true : undefined), 10_000);
      const [first] = pool.workers();
      await first?.terminate();
      await waitFor(
        () =>
          lines.some(
            (l) =>
              l.msg === 'a check thread stopped unexpectedly; starting it again with its monitors',
          )
            ? true
            : undefined,
        5_000,
      );
      const after = got.length;
      await waitFor(
        () =>
          ['x', 'y'].every((id) => got.slice(after).some((r) => r.monitorId === id))
            ? true
            : undefined,
        10_000,
      );
      assert.notEqual(pool.workers()[0], first, 'a new thread');
    } finally {
      await pool.stop();
    }
    await waitFor(() => (workerThreadCount() === threadsBefore ? true : undefined), 10_000);
  });
});
