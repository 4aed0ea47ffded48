import { listItems, metricsText } from '../../test/helpers/local-api.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCheckRunner } from '../agent/check-runner.ts';
import type { ApiClient } from '../cli/api-client.ts';
import { createIcmpCheck } from '../checks/icmp/index.ts';
import { downResult } from '../checks/outcome.ts';
import { getCheck } from '../checks/registry.ts';
import type { RecordedResult } from '../domain/check-result.ts';
import type { ConsensusRound } from '../domain/consensus.ts';
import type { Incident } from '../domain/incident.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { HealthView } from '../services/health-service.ts';
import type { ProbeReport } from '../services/probe-service.ts';
import type { MonitorStatusView } from '../services/status-service.ts';
import { waitFor } from '../../test/helpers/cli.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { startWebhookReceiver } from '../../test/helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../../test/helpers/webhook-receiver.ts';
import { joinCluster } from './cluster-setup.ts';

// A node whose `ping` is missing: its icmp results are errors of that node, never the target
// down. The seam is the node's check runner, with an icmp check pointed at a missing binary.

/** A check runner whose icmp check finds no ping on this node. */
const withoutPing = createCheckRunner((type) =>
  type === 'icmp'
    ? createIcmpCheck({ pingCommand: '/nonexistent/crosscheck-test/ping' })
    : getCheck(type),
);

/** A check runner that sees every icmp target down (the target, not the node). */
const icmpTargetDown = createCheckRunner((type) =>
  type === 'icmp'
    ? {
        ...getCheck('icmp'),
        run: () => Promise.resolve(downResult('timeout', 1_000, '100% packet loss (1 sent)')),
      }
    : getCheck(type),
);

const icmpMonitor = (name: string, receiver: WebhookReceiver) => ({
  name,
  type: 'icmp',
  target: '127.0.0.1',
  intervalMs: 1_000,
  timeoutMs: 1_000,
  alerts: [{ channel: 'webhook', settings: { url: receiver.url } }],
});

describe('node errors: a missing ping is the node’s fault', () => {
  const cluster = loopbackCluster({ graceCount: 5 });
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await cluster.cleanup();
    await receiver.close();
  });

  it('one node without ping: error results, no round, no incident, no page', async () => {
    const { api } = await cluster.startCoordinator('solo', null, { runCheck: withoutPing });
    const monitor = await api.request<Monitor>('POST', '/api/v1/monitors', {
      ...icmpMonitor('gateway', receiver),
    });
    const results = await waitFor(
      async () => {
        const list = await listItems<RecordedResult>(
          api,
          `/api/v1/results?monitor=${monitor.id}&limit=100`,
        );
        return list.length >= 4 ? list : undefined;
      },
      15_000,
      () => 'four results',
    );
    for (const result of results) {
      assert.equal(result.status, 'error');
      assert.equal(result.errorKind, 'node');
      assert.match(result.message, /^ping is not installed on this node/);
    }
    assert.deepEqual(await listItems<Incident>(api, '/api/v1/incidents'), []);
    const rounds = await listItems<ConsensusRound>(api, `/api/v1/monitors/${monitor.id}/rounds`);
    assert.deepEqual(rounds, [], 'no suspect signal, so no round');
    const status = await listItems<MonitorStatusView>(api, '/api/v1/status');
    const row = status.find((m) => m.id === monitor.id);
    assert.equal(row?.status, 'pending', 'nobody could check it: neither down nor up');
    assert.equal(receiver.requests.length, 0);
    const metrics = await metricsText(api);
    assert.match(metrics, /crosscheck_checks_total\{type="icmp",status="error"\} [4-9]/);
    assert.doesNotMatch(metrics, /crosscheck_checks_total\{type="icmp",status="down"\}/);

    const probe = await api.request<ProbeReport>('POST', '/api/v1/probe', {
      type: 'icmp',
      target: '127.0.0.1',
      timeoutMs: 1_000,
    });
    assert.equal(probe.nodes[0]?.outcome, 'error');
    assert.equal(probe.verdict.kind, 'no-answer');
    assert.equal(
      probe.verdict.line,
      'no node could check; solo could not check (a fault of that node)',
    );
  });

  it('asked to vote, a node without ping abstains with its reason', async () => {
    const { api: coordinator } = await cluster.startCoordinator('coord', 'eu', {
      runCheck: icmpTargetDown,
    });
    const { token } = await coordinator.request<{ token: string }>(
      'POST',
      '/api/v1/cluster/join-tokens',
      { expires: '10m' },
    );
    const agentDir = cluster.dir();
    await joinCluster({ dataDir: agentDir, token, name: 'noping', region: 'us', labels: {} });
    const agent: ApiClient = (await cluster.run(agentDir, undefined, { runCheck: withoutPing }))
      .api;
    await waitFor(
      async () => {
        const health = await agent.request<HealthView>('GET', '/api/v1/health');
        return health.cluster?.coordinator?.connected ? true : undefined;
      },
      10_000,
      () => 'agent connected',
    );
    const monitor = await coordinator.request<Monitor>('POST', '/api/v1/monitors', {
      ...icmpMonitor('router', receiver),
    });
    const round = await waitFor(
      async () => {
        const rounds = await listItems<ConsensusRound>(
          coordinator,
          `/api/v1/monitors/${monitor.id}/rounds`,
        );
        return rounds.find((r) => r.votes.some((v) => v.nodeName === 'noping' && v.answeredAt));
      },
      15_000,
      () => 'a round the agent answered',
    );
    const vote = round.votes.find((v) => v.nodeName === 'noping');
    assert.equal(vote?.outcome, 'abstain');
    assert.equal(vote?.status, 'error');
    assert.equal(vote?.errorKind, 'node');
    assert.match(vote?.message ?? '', /ping is not installed on this node/);
    assert.match(vote?.message ?? '', /could not check/);
    // The vote came over the peer channel; the agent's own results come through its outbox,
    // in batches, so they may still be on their way.
    const fromAgent = await waitFor(
      async () => {
        const agentResults = await listItems<RecordedResult>(
          coordinator,
          `/api/v1/results?monitor=${monitor.id}&limit=200`,
        );
        const mine = agentResults.filter((r) => r.nodeId !== round.triggeredBy);
        return mine.length > 0 ? mine : undefined;
      },
      15_000,
      () => 'the agent’s results reached the coordinator',
    );
    assert.ok(fromAgent.every((r) => r.status === 'error' && r.errorKind === 'node'));
  });
});
