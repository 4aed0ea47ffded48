import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downResult, upResult } from '../../checks/outcome.ts';
import type { CheckSpec } from '../../agent/check-runner.ts';
import type { CheckResult } from '../../domain/check-result.ts';
import { silentLogger } from '../../observability/logger.ts';
import { FakeClock, flushMicrotasks } from '../../../test/helpers/fake-clock.ts';
import type { CanarySpec } from '../../checks/canary-spec.ts';
import {
  CANARY_LEAD_MS,
  CANARY_TIMEOUT_MS,
  canaryTimeoutMs,
  createCanaryRunner,
} from './canaries.ts';

const GATEWAY: CanarySpec = { type: 'tcp', target: '127.0.0.1:1', options: {} };
const RESOLVER: CanarySpec = { type: 'dns', target: 'gateway.test', options: {} };
const INTRANET: CanarySpec = { type: 'http', target: 'http://127.0.0.1:2/', options: {} };

/** A fake check runner: each call waits until the test settles it; `down` targets fail. */
function fakeRunner() {
  const calls: { spec: CheckSpec; settle: () => void }[] = [];
  const down = new Set<string>();
  const runCheck = (spec: CheckSpec): Promise<CheckResult> =>
    new Promise((resolve) => {
      calls.push({
        spec,
        settle: () =>
          resolve(
            down.has(spec.target) ? downResult('timeout', 5, 'timed out') : upResult(1, 'ok'),
          ),
      });
    });
  /** Settles every call still waiting. */
  const settleAll = async () => {
    for (const call of calls.splice(0)) call.settle();
    await flushMicrotasks();
  };
  let total = 0;
  return {
    runCheck: (spec: CheckSpec) => {
      total++;
      return runCheck(spec);
    },
    calls,
    down,
    settleAll,
    total: () => total,
  };
}

function runnerWith(canaries: readonly CanarySpec[], clock = new FakeClock()) {
  const fake = fakeRunner();
  const runner = createCanaryRunner({
    clock,
    logger: silentLogger(),
    nodeId: 'n1',
    canaries,
    intervalMs: 15_000,
    runCheck: fake.runCheck,
  });
  return { clock, fake, runner };
}

describe('canary runner: fresh status', () => {
  it('the timeout is the shortest of 2 s, the type default, the interval and the check timeout', () => {
    assert.equal(canaryTimeoutMs(5_000, 15_000), CANARY_TIMEOUT_MS);
    assert.equal(canaryTimeoutMs(1_500, 15_000), 1_500);
    assert.equal(canaryTimeoutMs(5_000, 1_000), 1_000);
    assert.equal(canaryTimeoutMs(5_000, 15_000, 800), 800);
    assert.equal(canaryTimeoutMs(5_000, 15_000, 10_000), CANARY_TIMEOUT_MS);
  });

  it('runs every canary with the short timeout and names the failing ones', async () => {
    const { fake, runner } = runnerWith([GATEWAY, RESOLVER, INTRANET]);
    fake.down.add(GATEWAY.target).add(RESOLVER.target);
    const pending = runner.fresh({ timeoutMs: 700 });
    await flushMicrotasks();
    assert.deepEqual(
      fake.calls.map((c) => c.spec.timeoutMs),
      [700, 700, 700],
    );
    await fake.settleAll();
    assert.deepEqual(await pending, {
      total: 3,
      failing: 2,
      majorityFailing: true,
      failingNames: ['tcp:127.0.0.1:1', 'dns:gateway.test'],
    });
    assert.equal(runner.failing(), true);
  });

  it('single flight: callers during a run share it, one check per canary', async () => {
    const { fake, runner } = runnerWith([GATEWAY, RESOLVER]);
    const answers = [runner.fresh(), runner.fresh(), runner.fresh({ timeoutMs: 1_000 })];
    await flushMicrotasks();
    assert.equal(fake.total(), 2);
    await fake.settleAll();
    for (const answer of await Promise.all(answers)) assert.equal(answer.failing, 0);
    assert.equal(fake.total(), 2);
  });

  it('a run speaks for checks that started up to 1 s after it (or before it); later ones run again', async () => {
    const { clock, fake, runner } = runnerWith([GATEWAY]);
    const runAt = clock.now();
    const first = runner.fresh();
    await fake.settleAll();
    await first;
    await clock.advance(30_000);
    fake.down.add(GATEWAY.target);
    const older = await runner.fresh({ startedAt: runAt - 10_000 });
    assert.equal(older.failing, 0, 'a check older than the run: answered from cache');
    const close = await runner.fresh({ startedAt: runAt + CANARY_LEAD_MS });
    assert.equal(close.failing, 0, 'a check 1 s after the run: answered from cache');
    assert.equal(fake.total(), 1);
    const later = runner.fresh({ startedAt: runAt + CANARY_LEAD_MS + 1 });
    await flushMicrotasks();
    assert.equal(fake.total(), 2, 'a check after that: a new run');
    await fake.settleAll();
    assert.equal((await later).failing, 1);
  });

  it('a run in flight that began too early for a check is followed by one more, shared', async () => {
    const { clock, fake, runner } = runnerWith([GATEWAY]);
    const early = runner.fresh();
    await flushMicrotasks();
    await clock.advance(CANARY_LEAD_MS + 500);
    fake.down.add(GATEWAY.target);
    const late = [runner.fresh(), runner.fresh()];
    await flushMicrotasks();
    assert.equal(fake.total(), 1, 'waits for the run in flight first');
    await fake.settleAll();
    assert.equal((await early).failing, 1, 'the first run (settled now) fails too');
    await flushMicrotasks();
    assert.equal(fake.total(), 2, 'then exactly one more run for both late callers');
    await fake.settleAll();
    for (const answer of await Promise.all(late)) assert.equal(answer.failing, 1);
    assert.equal(fake.total(), 2);
  });

  it('the periodic run shares the cache: a vote right after it runs nothing', async () => {
    const { fake, runner } = runnerWith([GATEWAY, RESOLVER]);
    runner.start();
    await flushMicrotasks();
    assert.equal(fake.total(), 2);
    const vote = runner.fresh();
    await fake.settleAll();
    await vote;
    assert.equal(fake.total(), 2, 'the vote joined the periodic run');
    await runner.fresh();
    assert.equal(fake.total(), 2, 'and the next one is answered from cache');
    await runner.stop();
  });

  it('a node without canaries answers at once, never failing', async () => {
    const { fake, runner } = runnerWith([]);
    assert.deepEqual(await runner.fresh(), {
      total: 0,
      failing: 0,
      majorityFailing: false,
      failingNames: [],
    });
    assert.equal(fake.total(), 0);
  });

  it('an error of this node counts as a failing canary', async () => {
    const clock = new FakeClock();
    const runner = createCanaryRunner({
      clock,
      logger: silentLogger(),
      nodeId: 'n1',
      canaries: [GATEWAY],
      intervalMs: 15_000,
      runCheck: () => Promise.resolve(downResult('node', 1, 'too many open files on this node')),
    });
    assert.equal((await runner.fresh()).majorityFailing, true);
  });

  it('once stopped, no new run starts', async () => {
    const { fake, runner } = runnerWith([GATEWAY]);
    runner.start();
    await flushMicrotasks();
    await fake.settleAll();
    await runner.stop();
    const before = fake.total();
    await runner.fresh();
    assert.equal(fake.total(), before);
  });
});
