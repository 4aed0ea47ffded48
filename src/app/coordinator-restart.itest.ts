// Quiet coordinator restarts (issue #10, hole 3) on loopback: a real coordinator process is
// killed -9 and restarted after seconds away (long enough for the agents' reconnect backoff to
// grow past the grace period, as it used to), while in-process agents reconnect. Node alerts are
// routed to a real webhook receiver, so a `node-missing` would page: none may be stored or sent,
// and an agent that stays away is still reported missing, once.
import { listItems, localApi } from '../../test/helpers/local-api.ts';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ApiClient } from '../cli/api-client.ts';
import type { NodeView } from '../services/cluster/cluster-service.ts';
import { silentLogger } from '../observability/logger.ts';
import { startDaemon, waitFor } from '../../test/helpers/cli.ts';
import type { DaemonProcess } from '../../test/helpers/cli.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { startWebhookReceiver } from '../../test/helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../../test/helpers/webhook-receiver.ts';
import { initCoordinator, joinCluster } from './cluster-setup.ts';
import type { RunningNode } from './node.ts';

/**
 * Heartbeats of 400 ms, missing after 10 silent ones: a 4 s grace leaves room for a loaded CI
 * machine, and the 9 s away still catches the old backoff (0.5 s doubling to 30 s), whose next
 * attempt came 6.5 s after the restart.
 */
const HEARTBEAT_MS = 400;
const GRACE_COUNT = 10;
const GRACE_MS = GRACE_COUNT * HEARTBEAT_MS;
const DOWN_MS = [9_000, 1_000, 3_000] as const;

describe('coordinator killed -9 and restarted on loopback', { timeout: 240_000 }, () => {
  const agents = loopbackCluster({ graceCount: GRACE_COUNT, heartbeatMs: HEARTBEAT_MS });
  let receiver: WebhookReceiver;
  let coordinatorDir: string;
  let peerPort = 0;
  let daemon: DaemonProcess | undefined;
  let api: ApiClient;
  const running = new Map<string, RunningNode>();

  async function startCoordinator(): Promise<void> {
    daemon = await startDaemon(coordinatorDir, [
      '--listen',
      `127.0.0.1:${peerPort}`,
      '--heartbeat-interval',
      `${HEARTBEAT_MS}ms`,
      '--grace-count',
      String(GRACE_COUNT),
    ]);
    api = localApi(coordinatorDir, daemon.apiUrl);
    const info = JSON.parse(fs.readFileSync(`${coordinatorDir}/daemon.json`, 'utf8')) as {
      peerAddress: string;
    };
    peerPort = Number(info.peerAddress.split(':').at(-1));
  }

  const nodes = () => listItems<NodeView>(api, '/api/v1/nodes');
  const allOnline = async (ids: readonly string[]) => {
    const listed = await nodes();
    return ids.every((id) => listed.find((n) => n.id === id)?.state === 'online')
      ? true
      : undefined;
  };
  const missingEvents = async (id: string) =>
    (await api.request<{ events: { to: string }[] }>('GET', `/api/v1/nodes/${id}`)).events.filter(
      (e) => e.to === 'missing',
    ).length;

  before(async () => {
    receiver = await startWebhookReceiver();
    coordinatorDir = agents.dir();
    await initCoordinator({
      dataDir: coordinatorDir,
      name: 'coord',
      listen: '127.0.0.1:0',
      advertise: null,
      region: null,
      labels: {},
      logger: silentLogger(),
    });
    await startCoordinator();
    await api.request('PUT', '/api/v1/cluster/alerts', {
      alerts: [{ channel: 'webhook', settings: { url: receiver.url } }],
    });
    for (const name of ['a-1', 'a-2', 'a-3']) {
      const { token } = await api.request<{ token: string }>(
        'POST',
        '/api/v1/cluster/join-tokens',
        { expires: '10m' },
      );
      const dataDir = agents.dir();
      const joined = await joinCluster({ dataDir, token, name, region: null, labels: {} });
      running.set(joined.nodeId, (await agents.run(dataDir)).node);
    }
    await waitFor(
      () => allOnline([...running.keys()]),
      20_000,
      () => 'agents online',
    );
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await agents.cleanup();
    await receiver?.close();
  });

  async function restart(downMs: number): Promise<void> {
    await daemon?.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await startCoordinator();
  }

  it('no node alert over restarts with every agent coming back', async () => {
    const ids = [...running.keys()];
    for (const downMs of DOWN_MS) {
      await restart(downMs);
      await waitFor(
        () => allOnline(ids),
        20_000,
        () => `agents online after ${downMs} ms away`,
      );
      // Long enough for a node that missed its grace period to be reported.
      await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 1_000));
    }
    const sent = receiver.requests.map((r) => String(r.headers['x-crosscheck-event']));
    assert.deepEqual(sent, [], 'no node alert sent');
    for (const id of ids) assert.equal(await missingEvents(id), 0, `${id} never stored missing`);
  });

  it('an agent that stays away across a restart is reported missing once', async () => {
    const [awayId, away] = [...running.entries()][0] ?? [];
    assert.ok(awayId && away);
    await agents.stop(away);
    running.delete(awayId);
    await restart(1_000);
    const [page] = await receiver.waitForRequests(1, GRACE_MS + 15_000);
    assert.equal(page?.headers['x-crosscheck-event'], 'node-missing');
    assert.equal((page?.json as { node?: { id?: string } }).node?.id, awayId);
    await waitFor(
      () => allOnline([...running.keys()]),
      20_000,
      () => 'the others online',
    );
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 1_000));
    assert.equal(receiver.requests.length, 1, 'exactly one node alert');
    assert.equal(await missingEvents(awayId), 1);
  });
});
