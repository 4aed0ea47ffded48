import { listItems, metricsText, waitForMonitorStatus } from '../../test/helpers/local-api.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiClient } from '../cli/api-client.ts';
import type { ConsensusRound } from '../domain/consensus.ts';
import type { Incident } from '../domain/incident.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { ProbeReport } from '../services/probe-service.ts';
import { startHttpServer } from '../../test/helpers/http-servers.ts';
import type { TestServer } from '../../test/helpers/http-servers.ts';
import { waitFor } from '../../test/helpers/cli.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { startWebhookReceiver } from '../../test/helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../../test/helpers/webhook-receiver.ts';

// Three nodes on loopback (eu coordinator, us and ap agents) around one switchable target:
// confirmation rounds, evidence, alerts and probes through the real daemons.

const cluster = loopbackCluster({ graceCount: 5 });

type IncidentWithEvidence = Incident & { evidence: ConsensusRound[] };

describe('quorum consensus on loopback', () => {
  let target: TestServer;
  let healthy = true;
  let receiver: WebhookReceiver;
  let coordinator: ApiClient;
  let agents: ApiClient[];

  before(async () => {
    target = await startHttpServer((_req, res) => {
      res.statusCode = healthy ? 200 : 503;
      res.end(healthy ? 'ok' : 'unavailable');
    });
    receiver = await startWebhookReceiver();
    coordinator = (await cluster.startCoordinator('coord', 'eu')).api;
    agents = [];
    for (const [name, region] of [
      ['us-1', 'us'],
      ['ap-1', 'ap'],
    ] as const) {
      agents.push((await cluster.joinAgent(coordinator, name, region)).api);
    }
  });

  after(async () => {
    await cluster.cleanup();
    await receiver.close();
    await target.close();
  });

  it('an outage every node sees opens one incident with every vote as evidence, and one page each way', async () => {
    const monitor = await coordinator.request<Monitor>('POST', '/api/v1/monitors', {
      name: 'shop',
      type: 'http',
      target: `${target.origin}/`,
      intervalMs: 1_000,
      timeoutMs: 500,
      alerts: [{ channel: 'webhook', settings: { url: receiver.url } }],
    });
    const incidents = () =>
      listItems<Incident>(coordinator, `/api/v1/incidents?monitor=${monitor.id}`);
    await waitForMonitorStatus(coordinator, monitor.id, 'up');

    healthy = false;
    const [down] = await receiver.waitForRequests(1, 15_000);
    assert.equal(down?.headers['x-crosscheck-event'], 'down');
    const event = down?.json as { verdict: string; evidence: { node: string; outcome: string }[] };
    assert.equal(event.verdict, 'down');
    assert.deepEqual(event.evidence.map((e) => `${e.node}:${e.outcome}`).sort(), [
      'ap-1:fail',
      'coord:fail',
      'us-1:fail',
    ]);
    const [open] = await incidents();
    assert.equal(open?.status, 'open');
    assert.equal(open?.verdict, 'down');
    const shown = await coordinator.request<IncidentWithEvidence>(
      'GET',
      `/api/v1/incidents/${open?.id ?? ''}`,
    );
    const confirming = shown.evidence.find((r) => r.verdict === 'down');
    assert.equal(confirming?.votes.length, 3, 'every node voted');
    assert.ok(confirming?.votes.every((v) => v.outcome === 'fail' && v.status === 'down'));

    // A probe from an agent (forwarded) sees the same thing, per node.
    const probe = await agents[0]?.request<ProbeReport>('POST', '/api/v1/probe', {
      type: 'http',
      target: `${target.origin}/`,
      timeoutMs: 1_000,
    });
    assert.equal(probe?.nodes.length, 3);
    assert.equal(probe?.verdict.line, 'down for everyone');

    healthy = true;
    const requests = await receiver.waitForRequests(2, 15_000);
    assert.equal(requests[1]?.headers['x-crosscheck-event'], 'recovered');
    const [resolved] = await incidents();
    assert.equal(resolved?.status, 'resolved');
    assert.ok((resolved?.durationMs ?? -1) >= 0);
    // Every node's later suspect/recovered reports changed nothing: one page each way.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(receiver.requests.length, 2);
    assert.equal((await incidents()).length, 1);
    const metrics = await metricsText(coordinator);
    assert.match(metrics, /crosscheck_rounds_total\{verdict="down"\} [1-9]/);
    const usNode = /crosscheck_node_info\{node_id="([^"]+)",name="us-1",region="us"\} 1/.exec(
      metrics,
    )?.[1];
    assert.ok(usNode, 'the us agent has an info series');
    assert.match(metrics, new RegExp(`crosscheck_node_impaired\\{node_id="${usNode}"[^}]*\\} 0`));
    await coordinator.request('DELETE', `/api/v1/monitors/${monitor.id}`);
  });

  it('a monitor that runs only on one agent is confirmed by that agent (a quorum of the nodes that run it)', async () => {
    const before = receiver.requests.length;
    const monitor = await coordinator.request<Monitor>('POST', '/api/v1/monitors', {
      name: 'us only',
      type: 'http',
      target: `${target.origin}/us`,
      intervalMs: 1_000,
      timeoutMs: 500,
      nodes: { regions: ['us'], labels: {} },
      alerts: [{ channel: 'webhook', settings: { url: receiver.url } }],
    });
    healthy = false;
    try {
      const requests = await receiver.waitForRequests(before + 1, 15_000);
      const event = requests[before]?.json as {
        monitor: { id: string };
        evidence: { node: string }[];
      };
      assert.equal(event.monitor.id, monitor.id);
      assert.deepEqual(
        event.evidence.map((e) => e.node),
        ['us-1'],
      );
    } finally {
      healthy = true;
    }
    await waitFor(
      async () =>
        (await listItems<Incident>(coordinator, `/api/v1/incidents?monitor=${monitor.id}`))[0]
          ?.status === 'resolved'
          ? true
          : undefined,
      15_000,
      () => 'resolved',
    );
    await coordinator.request('DELETE', `/api/v1/monitors/${monitor.id}`);
  });
});
