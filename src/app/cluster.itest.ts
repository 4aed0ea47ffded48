import { listItems } from '../../test/helpers/local-api.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiClient } from '../cli/api-client.ts';
import { encodeJoinToken, parseJoinToken } from '../cluster/join-token.ts';
import type { Monitor } from '../domain/monitor.ts';
import { AppError } from '../lib/errors.ts';
import type { HealthView } from '../services/health-service.ts';
import type { NodeView } from '../services/cluster/cluster-service.ts';
import { startHttpServer } from '../../test/helpers/http-servers.ts';
import type { TestServer } from '../../test/helpers/http-servers.ts';
import { waitFor } from '../../test/helpers/cli.ts';
import { closedPort } from '../../test/helpers/tcp-server.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { startWebhookReceiver } from '../../test/helpers/webhook-receiver.ts';
import { joinCluster } from './cluster-setup.ts';
import type { RunningNode } from './node.ts';

const cluster = loopbackCluster({ graceCount: 3 });
const dir = (): string => cluster.dir();
const run = (dataDir: string, peerPort?: number) => cluster.run(dataDir, peerPort);
const stop = (node: RunningNode) => cluster.stop(node);

async function expectAppError(promise: Promise<unknown>, code: string, pattern: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('cluster on loopback', () => {
  let target: TestServer;
  let coordinatorDir: string;
  let coordinator: { node: RunningNode; api: ApiClient };
  let peerPort: number;

  before(async () => {
    target = await startHttpServer((_req, res) => res.end('ok'));
    const started = await cluster.startCoordinator('coord', 'eu');
    coordinatorDir = started.dataDir;
    coordinator = started;
    peerPort = started.peerPort;
  });

  after(async () => {
    await cluster.cleanup();
    await target.close();
  });

  const token = async (expires = '10m') =>
    (
      await coordinator.api.request<{ token: string }>('POST', '/api/v1/cluster/join-tokens', {
        expires,
      })
    ).token;
  const nodes = () => listItems<NodeView>(coordinator.api, '/api/v1/nodes');

  it('refuses expired, reused, forged and wrong-fingerprint tokens, enrolling nothing', async () => {
    const before = (await nodes()).length;
    const good = await token();
    await joinCluster({ dataDir: dir(), token: good, name: 'first', region: null, labels: {} });
    await expectAppError(
      joinCluster({ dataDir: dir(), token: good, name: 'again', region: null, labels: {} }),
      'CONFLICT',
      /already been used/,
    );

    const expired = await token('1s');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expectAppError(
      joinCluster({ dataDir: dir(), token: expired, name: 'late', region: null, labels: {} }),
      'UNAUTHORIZED',
      /expired at/,
    );

    const parsed = parseJoinToken(await token());
    const forged = encodeJoinToken({ ...parsed, secret: 'A'.repeat(43) });
    await expectAppError(
      joinCluster({ dataDir: dir(), token: forged, name: 'forged', region: null, labels: {} }),
      'UNAUTHORIZED',
      /not valid for this coordinator/,
    );
    const otherCa = encodeJoinToken({ ...parsed, caSha256: 'ab'.repeat(32) });
    await expectAppError(
      joinCluster({ dataDir: dir(), token: otherCa, name: 'spoofed', region: null, labels: {} }),
      'UNAUTHORIZED',
      /fingerprint does not match/,
    );
    // The token whose fingerprint check failed was never sent, so it still works.
    await joinCluster({
      dataDir: dir(),
      token: encodeJoinToken(parsed),
      name: 'second',
      region: null,
      labels: {},
    });

    const names = (await nodes()).map((n) => n.name);
    assert.equal(names.length, before + 2);
    assert.ok(names.includes('first') && names.includes('second'));
    assert.ok(!names.some((n) => ['again', 'late', 'forged', 'spoofed'].includes(n)));
  });

  it('syncs only assigned monitors, forwards CRUD, streams results, and keeps checking from cache', async () => {
    const agentDir = dir();
    await joinCluster({
      dataDir: agentDir,
      token: await token(),
      name: 'us-1',
      region: 'us',
      labels: { tier: 'edge' },
    });
    const agent = await run(agentDir);
    const agentHealth = () => agent.api.request<HealthView>('GET', '/api/v1/health');
    await waitFor(
      async () => ((await agentHealth()).cluster?.coordinator?.connected ? true : undefined),
      10_000,
      () => 'agent channel',
    );

    // Created through the agent: forwarded to the coordinator.
    const everywhere = await agent.api.request<Monitor>('POST', '/api/v1/monitors', {
      name: 'everywhere',
      type: 'http',
      target: `${target.origin}/`,
      intervalMs: 1_000,
      timeoutMs: 500,
    });
    const euOnly = await agent.api.request<Monitor>('POST', '/api/v1/monitors', {
      name: 'eu only',
      type: 'http',
      target: `${target.origin}/eu`,
      intervalMs: 1_000,
      timeoutMs: 500,
      nodes: { regions: ['eu'], labels: {} },
    });
    await waitFor(
      async () => ((await agentHealth()).monitors.total === 1 ? true : undefined),
      10_000,
      () => 'one monitor on the agent',
    );

    // Moving the eu monitor to the agent's labels reaches it as a change.
    await coordinator.api.request('PATCH', `/api/v1/monitors/${euOnly.id}`, {
      nodes: { regions: [], labels: { tier: 'edge' } },
    });
    await waitFor(
      async () => ((await agentHealth()).monitors.total === 2 ? true : undefined),
      10_000,
      () => 'two monitors on the agent',
    );

    const agentId = (await agentHealth()).cluster?.nodeId ?? '';
    type Row = { nodeId: string; monitorId: string };
    await waitFor(
      async () => {
        const rows = await listItems<Row>(
          coordinator.api,
          `/api/v1/results?monitor=${everywhere.id}&limit=1000`,
        );
        return rows.some((r) => r.nodeId === agentId) && rows.some((r) => r.nodeId !== agentId)
          ? true
          : undefined;
      },
      10_000,
      () => 'results from both nodes',
    );

    // Without the coordinator, a restarted agent runs its cached config.
    await stop(coordinator.node);
    await stop(agent.node);
    const again = await run(agentDir);
    const health = await again.api.request<HealthView>('GET', '/api/v1/health');
    assert.equal(health.monitors.total, 2);
    assert.equal(health.cluster?.coordinator?.connected, false);
    await waitFor(
      async () => {
        const h = await again.api.request<HealthView>('GET', '/api/v1/health');
        return (h.cluster?.outbox?.backlog ?? 0) > 0 ? true : undefined;
      },
      10_000,
      () => 'results queued in the outbox',
    );
    await expectAppError(
      again.api.request('GET', '/api/v1/monitors'),
      'UNAVAILABLE',
      /unreachable/,
    );

    coordinator = await run(coordinatorDir, peerPort);
    await waitFor(
      async () => {
        const h = await again.api.request<HealthView>('GET', '/api/v1/health');
        return h.cluster?.coordinator?.connected && h.cluster.outbox?.backlog === 0
          ? true
          : undefined;
      },
      20_000,
      () => 'outbox drained after the coordinator returned',
    );
  });

  it('pages once when a node goes missing and once when it is back, signed, with node details', async () => {
    const receiver = await startWebhookReceiver();
    const secret = 'node-alert-secret-0123456789';
    try {
      const set = await coordinator.api.request<{ alerts: { target: string }[] }>(
        'PUT',
        '/api/v1/cluster/alerts',
        { alerts: [{ channel: 'webhook', settings: { url: receiver.url, secret } }] },
      );
      // The inline route became a named target; its secret is stored once and shown masked.
      const targetName = set.alerts[0]?.target ?? '';
      assert.match(targetName, /^webhook-/);
      const target = await coordinator.api.request<{ settings: { secret?: string } }>(
        'GET',
        `/api/v1/alert-targets/${targetName}`,
      );
      assert.equal(target.settings.secret, '***');
      const agentDir = dir();
      await joinCluster({
        dataDir: agentDir,
        token: await token(),
        name: 'flaky',
        region: 'ap',
        labels: {},
      });
      const agent = await run(agentDir);
      const flakyId = (await agent.api.request<HealthView>('GET', '/api/v1/health')).cluster
        ?.nodeId;
      const state = async () => (await nodes()).find((n) => n.id === flakyId)?.state;
      await waitFor(
        async () => ((await state()) === 'online' ? true : undefined),
        10_000,
        () => 'flaky online',
      );

      await stop(agent.node);
      await waitFor(
        async () => ((await state()) === 'missing' ? true : undefined),
        10_000,
        () => 'flaky missing',
      );
      const [missing] = await receiver.waitForRequests(1, 10_000);
      assert.ok(missing);
      assert.equal(missing.headers['x-crosscheck-event'], 'node-missing');
      assert.ok(receiver.verifySignature(missing, secret));
      const body = missing.json as {
        node: { id: string; name: string; region: string };
        to: string;
      };
      assert.deepEqual(body.node, { id: flakyId, name: 'flaky', region: 'ap' });
      assert.equal(body.to, 'missing');

      await run(agentDir);
      await waitFor(
        async () => ((await state()) === 'online' ? true : undefined),
        15_000,
        () => 'flaky back',
      );
      const requests = await receiver.waitForRequests(2, 10_000);
      assert.equal(requests[1]?.headers['x-crosscheck-event'], 'node-online');
      const events = await coordinator.api.request<{
        events: { from: string | null; to: string }[];
      }>('GET', `/api/v1/nodes/${flakyId ?? ''}`);
      assert.ok(events.events.some((e) => e.to === 'missing'));
      assert.equal(events.events[0]?.to, 'online');
      // Exactly one page per transition.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(receiver.requests.length, 2);
    } finally {
      await receiver.close();
    }
  });

  it('keeps the other coordinators a token names in node.json (old tokens name one)', async () => {
    const parsed = parseJoinToken(await token());
    // Only stored here, never dialed: the node is not started.
    const other = `127.0.0.1:${await closedPort()}`;
    const listed = await joinCluster({
      dataDir: dir(),
      token: encodeJoinToken({ ...parsed, coordinators: [other] }),
      name: 'listed',
      region: null,
      labels: {},
    });
    assert.deepEqual(listed.coordinator?.addresses, [parsed.address, other]);
    const plain = await joinCluster({
      dataDir: dir(),
      token: await token(),
      name: 'plain',
      region: null,
      labels: {},
    });
    assert.equal(plain.coordinator?.addresses, undefined);
    assert.equal(plain.coordinator?.address, parsed.address);
  });
});
