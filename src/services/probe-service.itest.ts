import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCheck } from '../agent/check-runner.ts';
import { checkTypeSchema } from '../checks/registry.ts';
import { evidenceOf } from '../cluster/vantage/evidence.ts';
import type { ApiErrorBody } from '../api/errors.ts';
import { storeOperationServices, testApiServer } from '../../test/helpers/test-api.ts';
import type { ProbeCheck, VoteEvidence } from '../domain/consensus.ts';
import { systemClock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { silentLogger } from '../observability/logger.ts';
import type { Store } from '../store/types.ts';
import { startHttpServer } from '../../test/helpers/http-servers.ts';
import type { TestServer } from '../../test/helpers/http-servers.ts';
import { closedPort } from '../../test/helpers/tcp-server.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import type { ProbeNode, ProbeReport, ProbeService } from './probe-service.ts';
import { createProbeService } from './probe-service.ts';

const NODES: ProbeNode[] = [
  { id: 'n-ams', name: 'ams-1', region: 'eu-west' },
  { id: 'n-fra', name: 'fra-1', region: 'eu-west' },
  { id: 'n-nyc', name: 'nyc-1', region: 'us-east' },
  { id: 'n-bos', name: 'bos-1', region: 'us-east' },
  { id: 'n-mute', name: 'mute-1', region: null },
];

/** Runs the check for real on this machine, as the node would. */
async function runHere(check: ProbeCheck, target = check.target): Promise<VoteEvidence> {
  const checkedAt = Date.now();
  const result = await runCheck({
    type: checkTypeSchema.parse(check.type),
    target,
    options: check.options,
    timeoutMs: check.timeoutMs,
  });
  return evidenceOf(result, checkedAt);
}

describe('probe service and route, checks run for real against loopback servers', () => {
  let up: TestServer;
  let downTarget: string;
  /** Nodes whose path to the target is "cut": they check a closed port instead. */
  let cut = new Set<string>();
  let store: Store;
  let cleanup: () => Promise<void>;
  let probe: ProbeService;
  let runs = 0;

  before(async () => {
    up = await startHttpServer((_req, res) => res.end('ok'));
    downTarget = `127.0.0.1:${await closedPort()}`;
    ({ store, cleanup } = await tempSqliteStore());
    probe = createProbeService({
      nodes: () => NODES,
      clock: systemClock,
      logger: silentLogger(),
      run: (nodeId, check) => {
        runs++;
        // This node never answers: the probe must give up at timeout + margin.
        if (nodeId === 'n-mute') return new Promise<VoteEvidence | null>(() => undefined);
        if (nodeId === 'n-bos' && check.target.includes('refuse'))
          return Promise.reject(new AppError('UNAVAILABLE', 'node bos-1 has no open channel'));
        if (cut.has(nodeId)) return runHere(check, `http://${downTarget}/`);
        return runHere(check);
      },
    });
  });
  after(async () => {
    await up.close();
    await cleanup();
  });

  function api(withProbe: boolean) {
    const services = storeOperationServices(store, systemClock);
    return testApiServer(withProbe ? { ...services, probe } : services);
  }

  it('reports up everywhere, down for everyone and down from a region, with the silent node as no-answer', async () => {
    const app = api(true);
    const post = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/probe', payload });
    const [upRes, downRes] = await Promise.all([
      post({ type: 'http', target: `${up.origin}/`, timeoutMs: '300ms' }),
      post({ type: 'tcp', target: downTarget, timeoutMs: 300 }),
    ]);
    assert.equal(upRes.statusCode, 200, upRes.body);
    const upReport = upRes.json<ProbeReport>();
    assert.deepEqual(upReport.verdict, {
      kind: 'up-everywhere',
      regions: [],
      line: 'up everywhere',
    });
    assert.deepEqual(
      upReport.nodes.map((n) => [n.name, n.region, n.outcome]),
      [
        ['ams-1', 'eu-west', 'ok'],
        ['fra-1', 'eu-west', 'ok'],
        ['bos-1', 'us-east', 'ok'],
        ['nyc-1', 'us-east', 'ok'],
        ['mute-1', null, 'no-answer'],
      ],
      'grouped by region, region-less last',
    );
    const mute = upReport.nodes.at(-1);
    assert.equal(mute?.evidence, null);
    assert.equal(mute?.error, 'no answer within 2300 ms');
    assert.equal(upReport.nodes[0]?.evidence?.status, 'up');
    assert.equal(upReport.check.timeoutMs, 300);

    const downReport = downRes.json<ProbeReport>();
    assert.equal(downReport.verdict.line, 'down for everyone');
    assert.equal(downReport.nodes[0]?.evidence?.errorKind, 'refused');

    cut = new Set(['n-ams', 'n-fra']);
    try {
      const regional = (
        await post({ type: 'http', target: `${up.origin}/`, timeoutMs: 300 })
      ).json<ProbeReport>();
      assert.deepEqual(regional.verdict, {
        kind: 'regional',
        regions: ['eu-west'],
        line: 'down from eu-west only',
      });
    } finally {
      cut = new Set();
    }
  });

  it('shows a node whose run failed as no-answer with the reason', async () => {
    const report = await probe.probe({
      type: 'http',
      target: `${up.origin}/refuse`,
      timeoutMs: 300,
    });
    const bos = report.nodes.find((n) => n.name === 'bos-1');
    assert.equal(bos?.outcome, 'no-answer');
    assert.equal(bos?.error, 'node bos-1 has no open channel');
    assert.equal(report.verdict.kind, 'up-everywhere');
  });

  it('rejects a bad request naming each field, before any node runs anything', async () => {
    const app = api(true);
    const post = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/probe', payload });
    const runsBefore = runs;
    const paths = async (payload: object) => {
      const res = await post(payload);
      assert.equal(res.statusCode, 400, res.body);
      return res.json<ApiErrorBody>().error.issues.map((i) => i.path);
    };
    assert.deepEqual(await paths({ type: 'gopher', target: 'x' }), ['type']);
    assert.deepEqual(await paths({ type: 'http', target: 'ftp://x' }), ['target']);
    assert.deepEqual(
      await paths({ type: 'http', target: `${up.origin}/`, options: { expectedStatus: 'abc' } }),
      ['options.expectedStatus'],
    );
    assert.deepEqual(await paths({ type: 'tcp', target: downTarget, timeoutMs: '5 minutes' }), [
      'timeoutMs',
    ]);
    assert.ok((await paths({ type: 'tcp', target: downTarget, extra: 1 })).length > 0);
    assert.equal(runs, runsBefore, 'no node was asked to run an invalid check');
  });

  it('answers 503 UNAVAILABLE where no probe service is wired', async () => {
    const res = await api(false).inject({
      method: 'POST',
      url: '/api/v1/probe',
      payload: { type: 'tcp', target: downTarget },
    });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json<ApiErrorBody>().error.code, 'UNAVAILABLE');
  });
});
