import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ApiClient } from '../cli/api-client.ts';
import type { RecordedResult } from '../domain/check-result.ts';
import type { Monitor } from '../domain/monitor.ts';
import { waitFor } from '../../test/helpers/cli.ts';
import { startHttpServer } from '../../test/helpers/http-servers.ts';
import type { TestServer } from '../../test/helpers/http-servers.ts';
import { listItems } from '../../test/helpers/local-api.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { workerThreadCount } from '../../test/helpers/threads.ts';

// Issue #15, "Isolation": the catastrophic keyword regex `^(a+)+$` against 26 × "a" + "!" froze
// every check and the API for seconds per run. It now runs in the node's pattern pool, so the
// daemon's event loop stays free while 20 other monitors run beside it.

const OTHER_MONITORS = 20;
/** The bound on the event loop's longest block while the pattern runs. */
const MAX_BLOCK_MS = 50;
/** Windows measured, each holding at least one run of the pattern (interval 1 s). */
const WINDOWS = 3;
const WINDOW_MS = 1_500;

// Once on the main thread, once on a check thread (whose own pattern pool runs the pattern).
for (const checkThreads of ['0', '1'])
  describe(`a catastrophic keyword regex cannot block the daemon (--check-threads ${checkThreads})`, () => {
    const cluster = loopbackCluster({ graceCount: 5, checkThreads });
    const targets: TestServer[] = [];
    let api: ApiClient;
    let threadsBefore: number;

    before(async () => {
      threadsBefore = workerThreadCount();
      targets.push(await startHttpServer((_req, res) => res.end(`${'a'.repeat(26)}!`)));
      for (let i = 0; i < OTHER_MONITORS; i++)
        targets.push(await startHttpServer((_req, res) => res.end('ok')));
      ({ api } = await cluster.startCoordinator('solo', null));
    });
    after(async () => {
      await cluster.cleanup();
      for (const target of targets) await target.close();
    });

    const results = (monitorId: string) =>
      listItems<RecordedResult>(api, `/api/v1/results?monitor=${monitorId}&limit=100`);

    it('reports `pattern timed out`, keeps the loop free and leaves no worker after stop', async (t) => {
      const [evil, ...others] = targets.map((target) => `${target.origin}/`);
      const keyword = await api.request<Monitor>('POST', '/api/v1/monitors', {
        name: 'catastrophic',
        type: 'http_keyword',
        target: evil,
        options: { regex: '^(a+)+$' },
        intervalMs: 1_000,
        timeoutMs: 1_000,
      });
      const plain: Monitor[] = [];
      for (const [index, target] of others.entries())
        plain.push(
          await api.request<Monitor>('POST', '/api/v1/monitors', {
            name: `plain-${index}`,
            type: 'http',
            target,
            intervalMs: 1_000,
          }),
        );

      const first = await waitFor(
        async () => (await results(keyword.id)).find((result) => result.errorKind === 'pattern'),
        20_000,
        () => 'a pattern result',
      );
      assert.equal(first.status, 'down');
      assert.match(
        first.message,
        /^pattern timed out: pattern "\/\^\(a\+\)\+\$\/" (ran over 200 ms|did not finish)/,
      );

      // The loop is measured only while the pattern keeps running: a window counts when the
      // monitor recorded another timed-out run in it. On a loaded machine one window may catch a
      // pause that is not ours; a pattern on the main thread would block every window for seconds.
      const maxima: number[] = [];
      for (let window = 0; window < WINDOWS; window++) {
        const runsBefore = (await results(keyword.id)).length;
        const delay = monitorEventLoopDelay({ resolution: 5 });
        delay.enable();
        await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
        delay.disable();
        const runs = await results(keyword.id);
        assert.ok(runs.length > runsBefore, 'the pattern ran during the window');
        const others = runs.filter(
          (r) => r.checkedAt > first.checkedAt && !r.message.startsWith('pattern timed out'),
        );
        assert.deepEqual(
          others.map((r) => r.message),
          [],
        );
        maxima.push(delay.max / 1e6);
      }
      const best = Math.min(...maxima);
      t.diagnostic(
        `event loop max block per window (ms): ${maxima.map((m) => m.toFixed(1)).join(', ')}`,
      );
      assert.ok(best < MAX_BLOCK_MS, `event loop blocked ${best.toFixed(1)} ms at best`);

      for (const monitor of plain) {
        const own = await results(monitor.id);
        assert.ok(own.length >= 3, `${monitor.name} kept running (${own.length} results)`);
        assert.ok(own.every((result) => result.status === 'up'));
      }

      await cluster.cleanup();
      await waitFor(
        () => (workerThreadCount() === threadsBefore ? true : undefined),
        5_000,
        () => `worker threads back to ${threadsBefore} (now ${workerThreadCount()})`,
      );
    });
  });
