import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCheck } from '../agent/check-runner.ts';
import type { ApiErrorBody } from '../api/errors.ts';
import { checkTypeSchema } from '../checks/registry.ts';
import { evidenceOf } from '../cluster/vantage/evidence.ts';
import type { ProbeCheck, VoteEvidence } from '../domain/consensus.ts';
import { systemClock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import type { Principal } from '../operations/kit.ts';
import { silentLogger } from '../observability/logger.ts';
import type { Store } from '../store/types.ts';
import { startHttpServer } from '../../test/helpers/http-servers.ts';
import type { TestServer } from '../../test/helpers/http-servers.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { actingAs, storeOperationServices, testApiServer } from '../../test/helpers/test-api.ts';
import type { ProbeNode, ProbeReport } from './probe-service.ts';
import { createProbeService } from './probe-service.ts';

const TOKEN = 's3cret-token-42';

const NODES: ProbeNode[] = [
  { id: 'n-ams', name: 'ams-1', region: 'eu-west', labels: { tier: 'edge' } },
  { id: 'n-fra', name: 'fra-1', region: 'eu-west', labels: {} },
  { id: 'n-nyc', name: 'nyc-1', region: 'us-east', labels: { tier: 'edge' } },
];

/** Runs the check for real on this machine, as the node would. */
async function runHere(check: ProbeCheck): Promise<VoteEvidence> {
  const checkedAt = Date.now();
  const result = await runCheck({
    type: checkTypeSchema.parse(check.type),
    target: check.target,
    options: check.options,
    timeoutMs: check.timeoutMs,
  });
  return evidenceOf(result, checkedAt);
}

// `monitors.probe` over the real API, a real SQLite store and a real HTTP target that answers
// 200 only with the stored Authorization header: the stored secret is what the nodes send, and
// it appears nowhere in what the caller gets back, node errors included.
describe('monitors.probe: the stored check from the monitor’s own nodes, secrets masked', () => {
  let target: TestServer;
  let store: Store;
  let cleanup: () => Promise<void>;
  /** Node ids whose run echoes the secret in an error or a message (a careless check). */
  let echoing = new Set<string>();
  const asked: string[] = [];
  const services = () => {
    const probe = createProbeService({
      nodes: () => NODES,
      clock: systemClock,
      logger: silentLogger(),
      run: async (nodeId, check) => {
        asked.push(nodeId);
        const headers = check.options['headers'] as Record<string, string>;
        if (echoing.has(nodeId) && nodeId === 'n-nyc')
          // Only the credential, without its scheme: still masked.
          throw new AppError('UNAVAILABLE', `token ${headers['Authorization']?.slice(7)} refused`);
        const evidence = await runHere(check);
        return echoing.has(nodeId)
          ? { ...evidence, message: `sent ${headers['Authorization']}` }
          : evidence;
      },
    });
    return { ...storeOperationServices(store, systemClock), probe };
  };

  before(async () => {
    target = await startHttpServer((req, res) => {
      res.statusCode = req.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401;
      res.end();
    });
    ({ store, cleanup } = await tempSqliteStore());
  });
  after(async () => {
    await target.close();
    await cleanup();
  });

  async function createMonitor(nodes: object): Promise<string> {
    const created = await services().monitors.create?.({
      name: `Private API ${Math.random()}`,
      type: 'http',
      target: `${target.origin}/private`,
      timeoutMs: '2s',
      options: { headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'text/plain' } },
      nodes,
    });
    assert.ok(created);
    return created.id;
  }

  it('succeeds with the stored header from the selected nodes; the secret never comes back', async () => {
    const id = await createMonitor({ regions: ['eu-west'] });
    const app = testApiServer(services());
    asked.length = 0;
    const res = await app.inject({ method: 'POST', url: `/api/v1/monitors/${id}/probe` });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(!res.body.includes(TOKEN), 'the token is in the response');
    const report = res.json<ProbeReport>();
    assert.deepEqual(
      report.nodes.map((n) => [n.name, n.outcome, n.evidence?.status]),
      [
        ['ams-1', 'ok', 'up'],
        ['fra-1', 'ok', 'up'],
      ],
      'only the monitor’s region ran it, and the target took the stored header',
    );
    assert.deepEqual(asked.sort(), ['n-ams', 'n-fra']);
    assert.equal(report.verdict.kind, 'up-everywhere');
    assert.deepEqual(report.check.options['headers'], {
      Authorization: '***',
      Accept: 'text/plain',
    });

    // What the dashboard used to do: probe the monitor as returned (masked). The target refuses.
    const shown = (await app.inject({ method: 'GET', url: `/api/v1/monitors/${id}` })).json<{
      options: Record<string, unknown>;
    }>();
    const adHoc = await services().probe.probe({
      type: 'http',
      target: `${target.origin}/private`,
      options: shown.options,
      timeoutMs: 2_000,
    });
    assert.equal(adHoc.nodes[0]?.outcome, 'fail', 'the masked header is not the secret');
  });

  it('masks the secret in node errors and messages, and honours labels', async () => {
    const id = await createMonitor({ labels: { tier: 'edge' } });
    echoing = new Set(['n-ams', 'n-nyc']);
    try {
      const res = await testApiServer(services()).inject({
        method: 'POST',
        url: `/api/v1/monitors/${id}/probe`,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(!res.body.includes(TOKEN), 'the token is in the response');
      const report = res.json<ProbeReport>();
      const byName = new Map(report.nodes.map((n) => [n.name, n]));
      assert.deepEqual([...byName.keys()], ['ams-1', 'nyc-1'], 'the edge nodes only');
      assert.equal(byName.get('ams-1')?.evidence?.message, 'sent ***');
      assert.equal(byName.get('nyc-1')?.outcome, 'no-answer');
      assert.equal(byName.get('nyc-1')?.error, 'token *** refused');
    } finally {
      echoing = new Set();
    }
  });

  it('needs a read-write editor, and names an unknown monitor', async () => {
    const id = await createMonitor({});
    const readOnly: Principal = {
      userId: 'u-r',
      name: 'reader',
      role: 'admin',
      access: 'read',
      via: 'token',
    };
    const viewer: Principal = { ...readOnly, name: 'viewer', role: 'viewer', access: 'write' };
    for (const principal of [readOnly, viewer]) {
      const res = await testApiServer(services(), actingAs(principal)).inject({
        method: 'POST',
        url: `/api/v1/monitors/${id}/probe`,
      });
      assert.equal(res.statusCode, 403, principal.name);
    }
    const missing = await testApiServer(services()).inject({
      method: 'POST',
      url: '/api/v1/monitors/mon-nope/probe',
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json<ApiErrorBody>().error.code, 'NOT_FOUND');
  });
});
