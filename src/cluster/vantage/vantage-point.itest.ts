import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createCheckRunner, runCheck } from '../../agent/check-runner.ts';
import { createIcmpCheck } from '../../checks/icmp/index.ts';
import { getCheck, parseCheckConfig } from '../../checks/registry.ts';
import type { CheckType } from '../../checks/types.ts';
import type { CheckStatus, RecordedResult } from '../../domain/check-result.ts';
import { DEFAULT_CONSENSUS } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import { systemClock } from '../../lib/clock.ts';
import { createLogger, silentLogger } from '../../observability/logger.ts';
import { waitFor } from '../../../test/helpers/cli.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { startHttpServer } from '../../../test/helpers/http-servers.ts';
import type { TestServer } from '../../../test/helpers/http-servers.ts';
import { closedPort } from '../../../test/helpers/tcp-server.ts';
import type { CanarySpec } from '../../checks/canary-spec.ts';
import type { RunCheck } from './canaries.ts';
import { CANARY_LEAD_MS } from './canaries.ts';
import { createVantagePoint } from './vantage-point.ts';

function monitor(id: string, type: CheckType, target: string, extra: Partial<Monitor> = {}) {
  const checked = parseCheckConfig(type, target, {});
  const m: Monitor = {
    id,
    name: id,
    type,
    ...checked,
    intervalMs: 60_000,
    timeoutMs: 2_000,
    group: null,
    tags: [],
    failureThreshold: 2,
    recoveryThreshold: 2,
    degradedIsDown: false,
    paused: false,
    alerts: [],
    regionalAlerts: [],
    consensus: DEFAULT_CONSENSUS,
    nodes: { regions: [], labels: {} },
    alertCooldownMs: 0,
    dependsOn: [],
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  };
  return m;
}

function canary(type: CheckType, target: string): CanarySpec {
  return { type, ...parseCheckConfig(type, target, {}) };
}

let seq = 0;
function result(monitorId: string, status: CheckStatus, checkedAt: number): RecordedResult {
  return {
    id: `r${++seq}`,
    monitorId,
    nodeId: 'node_a',
    checkedAt,
    status,
    latencyMs: 3,
    timings: {},
    message: status,
    details: {},
    ...(status === 'down' ? { errorKind: 'refused' as const } : {}),
  };
}

/** Wraps the real check runner to count finished checks (to know when a canary run is over). */
function countingRunner(): { run: RunCheck; done: () => number } {
  let done = 0;
  return {
    run: async (spec, options) => {
      const r = await runCheck(spec, options);
      done++;
      return r;
    },
    done: () => done,
  };
}

function captureLogs(): { logger: ReturnType<typeof createLogger>; messages: () => string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return {
    logger: createLogger('info', 'json', stream),
    messages: () =>
      lines
        .flatMap((l) => l.split('\n'))
        .filter(Boolean)
        .map((l) => {
          const record = JSON.parse(l) as { msg: string; canary?: string; nodeId?: string };
          assert.equal(record.nodeId, 'node_a', 'every canary log names the node');
          return record.canary === undefined ? record.msg : `${record.msg} ${record.canary}`;
        }),
  };
}

describe('vantage point', () => {
  let up: TestServer;
  let flaky: TestServer;
  let flakyStatus = 200;
  let downTarget: string;
  const monitors = new Map<string, Monitor>();

  before(async () => {
    up = await startHttpServer((_req, res) => res.end('ok'));
    flaky = await startHttpServer((_req, res) => {
      res.statusCode = flakyStatus;
      res.end();
    });
    downTarget = `127.0.0.1:${await closedPort()}`;
    for (const m of [
      monitor('mon_up', 'http', `${up.origin}/`),
      monitor('mon_down', 'tcp', downTarget),
      monitor('mon_deg', 'http', `${up.origin}/`, { degradedIsDown: true, failureThreshold: 3 }),
    ])
      monitors.set(m.id, m);
  });
  after(async () => {
    await up.close();
    await flaky.close();
  });

  const vantage = (canaries: CanarySpec[] = [], extra = {}) =>
    createVantagePoint({
      clock: systemClock,
      logger: silentLogger(),
      nodeId: 'node_a',
      monitors: () => monitors,
      canaries,
      ...extra,
    });

  it('votes ok for a target it reaches and fail, with the error, for a closed port', async () => {
    const v = vantage();
    const ok = await v.vote('mon_up');
    assert.equal(ok.outcome, 'ok');
    assert.equal(ok.evidence.status, 'up');
    assert.equal(ok.canariesFailing, false);
    assert.ok(ok.evidence.checkedAt !== null && ok.evidence.latencyMs !== null);
    const fail = await v.vote('mon_down');
    assert.equal(fail.outcome, 'fail');
    assert.equal(fail.evidence.status, 'down');
    assert.equal(fail.evidence.errorKind, 'refused');
  });

  it('abstains for a monitor it does not have, and says why', async () => {
    const reply = await vantage().vote('mon_unknown');
    assert.equal(reply.outcome, 'abstain');
    assert.equal(reply.evidence.status, null);
    assert.match(reply.evidence.message, /does not have monitor mon_unknown/);
  });

  it('majority rule: failing only when more than half of the canaries fail', async () => {
    assert.equal(vantage().canariesFailing(), false, 'no canaries');
    const closed = canary('tcp', downTarget);
    const before = vantage([closed]);
    assert.equal(before.canariesFailing(), false, 'before the first run');
    assert.deepEqual(before.canaries(), { total: 1, failing: 0 });

    const runner = countingRunner();
    const half = vantage([closed, canary('http', `${up.origin}/`)], { runCheck: runner.run });
    half.start();
    await waitFor(
      () => (runner.done() === 2 ? true : undefined),
      5_000,
      () => 'canary run',
    );
    assert.deepEqual(half.canaries(), { total: 2, failing: 1 });
    assert.equal(half.canariesFailing(), false, 'one of two is not more than half');
    await half.stop();
  });

  it('abstains instead of voting down while its canaries fail, logging each change once', async () => {
    const clock = new FakeClock();
    const logs = captureLogs();
    const runner = countingRunner();
    flakyStatus = 200;
    const v = createVantagePoint({
      clock,
      logger: logs.logger,
      nodeId: 'node_a',
      monitors: () => monitors,
      canaries: [
        canary('tcp', downTarget),
        canary('http', `${flaky.origin}/`),
        canary('http', `${up.origin}/`),
      ],
      canaryIntervalMs: 1_000,
      runCheck: runner.run,
    });
    const runFinished = (n: number) =>
      waitFor(
        () => (runner.done() >= 3 * n ? true : undefined),
        5_000,
        () => `canary run ${n}`,
      );
    v.start();
    await runFinished(1);
    assert.deepEqual(v.canaries(), { total: 3, failing: 1 });
    assert.equal((await v.vote('mon_down')).outcome, 'fail');

    flakyStatus = 500;
    await clock.advance(1_000);
    await runFinished(2);
    assert.equal(v.canariesFailing(), true);
    const abstained = await v.vote('mon_down');
    assert.equal(abstained.outcome, 'abstain');
    assert.equal(abstained.canariesFailing, true);
    assert.equal(abstained.evidence.status, 'down', 'the check ran and its result is kept');
    assert.match(abstained.evidence.message, /abstained: 2 of 3 canaries failing/);
    assert.equal((await v.vote('mon_up')).outcome, 'ok', 'a passing check still votes ok');

    await clock.advance(1_000);
    await runFinished(3);
    flakyStatus = 200;
    await clock.advance(1_000);
    await runFinished(4);
    assert.equal(v.canariesFailing(), false);
    await v.stop();

    assert.deepEqual(logs.messages(), [
      `canary failing tcp:${downTarget}`,
      `canary failing http:${flaky.origin}/`,
      'most canaries fail: this node abstains instead of voting down',
      `canary recovered http:${flaky.origin}/`,
      'canaries healthy again: this node votes normally',
    ]);
  });

  it('a node error abstains with its reason, and moves no streak', async () => {
    const noPing = createCheckRunner((type) =>
      type === 'icmp'
        ? createIcmpCheck({ pingCommand: '/nonexistent/crosscheck-test/ping' })
        : getCheck(type),
    );
    const icmp = monitor('mon_icmp', 'icmp', '127.0.0.1');
    monitors.set(icmp.id, icmp);
    const v = vantage([], { runCheck: noPing });
    const reply = await v.vote(icmp.id);
    assert.equal(reply.outcome, 'abstain');
    assert.equal(reply.evidence.status, 'error');
    assert.equal(reply.evidence.errorKind, 'node');
    assert.match(
      reply.evidence.message,
      /^ping is not installed on this node: install iputils-ping/,
    );
    assert.match(reply.evidence.message, /abstained: node node_a could not check/);
    for (let i = 1; i <= 5; i++) assert.equal(v.observe(result(icmp.id, 'error', i * 1_000)), null);
    assert.deepEqual(v.suspects(), []);
    monitors.delete(icmp.id);
  });

  it('canaries and target gone at the same moment: the very next vote abstains and the next failing result is an error of this node', async () => {
    const clock = new FakeClock();
    const gateway = await startHttpServer((_req, res) => res.end('ok'));
    const resolver = await startHttpServer((_req, res) => res.end('ok'));
    const shop = await startHttpServer((_req, res) => res.end('ok'));
    const target = monitor('mon_shop', 'http', `${shop.origin}/`, { timeoutMs: 1_000 });
    monitors.set(target.id, target);
    const runner = countingRunner();
    let canaryChecks = 0;
    const canaryRuns = () => canaryChecks / 3;
    const v = createVantagePoint({
      clock,
      logger: silentLogger(),
      nodeId: 'node_a',
      monitors: () => monitors,
      runCheck: (spec, options) => {
        // Canaries run without a monitor id; checks of monitors with one.
        if (options?.monitorId === undefined) canaryChecks++;
        return runner.run(spec, options);
      },
      canaries: [
        canary('http', `${gateway.origin}/`),
        canary('http', `${resolver.origin}/`),
        canary('http', `${up.origin}/`),
      ],
    });
    try {
      v.start();
      await waitFor(
        () => (runner.done() === 3 ? true : undefined),
        5_000,
        () => 'the first canary run',
      );
      assert.equal((await v.vote(target.id)).outcome, 'ok');
      // Later than the last canary run could speak for, yet well inside its 15 s period.
      await clock.advance(CANARY_LEAD_MS + 1);
      await Promise.all([gateway.close(), resolver.close(), shop.close()]);

      const reply = await v.vote(target.id);
      assert.equal(reply.outcome, 'abstain');
      assert.equal(reply.canariesFailing, true);
      assert.equal(reply.evidence.status, 'down', 'the check ran; its result is kept');
      assert.match(reply.evidence.message, /abstained: 2 of 3 canaries failing/);

      await clock.advance(CANARY_LEAD_MS + 1);
      const checkedAt = clock.now();
      const raw = await runCheck(target);
      assert.equal(raw.status, 'down');
      const judged = await v.judge(target, raw, checkedAt);
      assert.equal(judged.status, 'error');
      assert.equal(judged.errorKind, 'node');
      assert.equal(
        judged.message,
        `this node's canaries fail (2 of 3: http:${gateway.origin}/, http:${resolver.origin}/): its own network is down; the check said: ${raw.message}`,
      );
      assert.equal(canaryRuns(), 3, 'one fresh canary run each, no 15 s wait');
      for (let i = 1; i <= 3; i++)
        assert.equal(v.observe({ ...result(target.id, 'up', checkedAt + i), ...judged }), null);
      assert.deepEqual(v.suspects(), [], 'never suspect from its own broken network');
    } finally {
      await v.stop();
      monitors.delete(target.id);
    }
  });

  it('judges only failing results of a node with canaries', async () => {
    const failing = await runCheck(monitors.get('mon_down') ?? assert.fail('mon_down'));
    const runner = countingRunner();
    const none = vantage([], { runCheck: runner.run });
    const mon = monitors.get('mon_down') ?? assert.fail('mon_down');
    assert.equal(await none.judge(mon, failing, Date.now()), failing, 'no canaries: as it is');
    const healthy = vantage([canary('http', `${up.origin}/`)], { runCheck: runner.run });
    const passing = await runCheck(monitors.get('mon_up') ?? assert.fail('mon_up'));
    assert.equal(await healthy.judge(mon, passing, Date.now()), passing);
    assert.equal(runner.done(), 0, 'a passing result waits for no canary');
    assert.equal(await healthy.judge(mon, failing, Date.now()), failing, 'canaries pass: down');
    assert.equal(runner.done(), 1);
  });

  it('probes an ad-hoc target now', async () => {
    const v = vantage();
    const upEvidence = await v.probe({
      type: 'http',
      target: `${up.origin}/`,
      options: parseCheckConfig('http', `${up.origin}/`, {}).options,
      timeoutMs: 2_000,
    });
    assert.equal(upEvidence.status, 'up');
    const downEvidence = await v.probe({
      type: 'tcp',
      target: downTarget,
      options: {},
      timeoutMs: 2_000,
    });
    assert.equal(downEvidence.status, 'down');
    assert.equal(downEvidence.errorKind, 'refused');
    const unknown = await v.probe({ type: 'gopher', target: 'x', options: {}, timeoutMs: 1 });
    assert.match(unknown.message, /unknown check type gopher/);
  });

  it('observes its own results: suspect after the threshold, recovered after successes', () => {
    const v = vantage();
    assert.equal(v.observe(result('mon_down', 'down', 1_000)), null);
    const suspect = v.observe(result('mon_down', 'down', 2_000));
    assert.equal(suspect?.kind, 'suspect');
    assert.equal(suspect?.since, 1_000);
    assert.equal(suspect?.evidence.errorKind, 'refused');
    assert.equal(suspect?.canariesFailing, false);
    assert.equal(v.observe(result('mon_down', 'down', 3_000)), null);
    assert.deepEqual(
      v.suspects().map((s) => [s.monitorId, s.since, s.evidence.checkedAt]),
      [['mon_down', 1_000, 3_000]],
      'suspect; evidence is the latest failure',
    );
    assert.equal(v.observe(result('mon_down', 'up', 4_000)), null);
    assert.deepEqual(
      v.suspects(),
      [],
      'recovering (latest result passed): not reported as failing after a reconnect',
    );
    const recovered = v.observe(result('mon_down', 'up', 5_000));
    assert.deepEqual([recovered?.kind, recovered?.since], ['recovered', 4_000]);
    assert.deepEqual(v.suspects(), []);
  });

  it('uses each monitor’s own thresholds and degraded rule; ignores unknown monitors; forgets', () => {
    const v = vantage();
    assert.equal(v.observe(result('mon_other', 'down', 1)), null);
    assert.equal(v.observe(result('mon_deg', 'degraded', 1)), null);
    assert.equal(v.observe(result('mon_deg', 'degraded', 2)), null);
    assert.equal(v.observe(result('mon_deg', 'down', 3))?.kind, 'suspect');
    assert.equal(v.observe(result('mon_up', 'degraded', 1)), null, 'degraded is up here');
    assert.equal(v.observe(result('mon_up', 'degraded', 2)), null);
    assert.equal(v.suspects().length, 1);
    v.forget('mon_deg');
    assert.deepEqual(v.suspects(), []);
  });

  it('stop aborts canaries in flight', async () => {
    let requests = 0;
    const hanging = await startHttpServer(() => void requests++);
    const runner = countingRunner();
    const v = vantage([canary('http', `${hanging.origin}/`)], {
      canaryIntervalMs: 60_000,
      runCheck: runner.run,
    });
    v.start();
    await waitFor(
      () => (requests > 0 ? true : undefined),
      5_000,
      () => 'the canary request',
    );
    await v.stop();
    assert.equal(runner.done(), 1, 'the check returned when stop aborted it');
    assert.deepEqual(v.canaries(), { total: 1, failing: 0 }, 'an aborted run records nothing');
    await hanging.close();
  });
});
