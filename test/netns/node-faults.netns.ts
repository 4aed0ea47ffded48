// Node faults are node results (issue #10, hole 2, the node's half): three of four agents lose
// their links to the target network and to their canaries at the same moment (the channel to
// the coordinator stays up) while the target is healthy. Their failing checks are judged by a
// canary run made then, so they record errors of their own, never report suspect, and nobody
// is paged. Needs root, `ip` and `nft`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/cli.ts';
import { COORDINATOR, createClusterLab, daemonLogs } from '../helpers/cluster-lab.ts';
import type { ClusterLab, LabTarget } from '../helpers/cluster-lab.ts';
import type { IncidentView, StoredResult } from '../helpers/cluster-views.ts';
import { netnsAvailable, startTargetServers } from '../helpers/netns.ts';
import { startLabWebhooks } from '../helpers/netns-webhooks.ts';
import type { LabWebhooks } from '../helpers/netns-webhooks.ts';

const available = netnsAvailable();
const skip = available.ok ? false : available.reason;

const AGENTS = ['a1', 'a2', 'a3', 'a4'] as const;
const CUT = ['a1', 'a2', 'a3'] as const;
/** How long the healthy target is watched after the cut: the false page came within 5 s. */
const WATCH_MS = 20_000;

describe('node faults across namespaces', { skip, timeout: 240_000 }, () => {
  let cluster: ClusterLab;
  let gateway: LabTarget;
  let hooks: LabWebhooks;

  before(async () => {
    cluster = await createClusterLab({
      agents: AGENTS.map((name) => ({ name })),
      target: true,
      extraHosts: ['gateway'],
      heartbeat: '1s',
      graceCount: 5,
    });
    gateway = await startTargetServers(cluster.lab, 'gateway');
    await cluster.init();
    await cluster.startNode(COORDINATOR);
    const canary = `http:http://${gateway.address}:${gateway.httpPort}/`;
    for (const agent of AGENTS) {
      const joined = await cluster.join(agent, await cluster.joinToken(), ['--canary', canary]);
      assert.equal(joined.code, 0, joined.stderr);
    }
    await Promise.all(AGENTS.map((agent) => cluster.startNode(agent)));
    await Promise.all(AGENTS.map((agent) => cluster.waitConnected(agent)));
    hooks = await startLabWebhooks(cluster.lab, COORDINATOR);
  });
  after(async () => {
    await cluster?.cleanup();
  });

  it('3 of 4 agents cut from the target network and their canaries at once, target healthy: node errors, no incident, no page', async (t) => {
    const target = cluster.target;
    assert.ok(target);
    const monitor = await cluster.cliJson<{ id: string }>(COORDINATOR, [
      'monitor',
      'add',
      '--name',
      'shop',
      '--type',
      'http',
      '--target',
      `http://${target.address}:${target.httpPort}/`,
      '--interval',
      '1s',
      '--timeout',
      '1s',
      '--webhook',
      hooks.url('/shop/'),
    ]);
    const nodeIds = new Map(AGENTS.map((agent) => [cluster.node(agent).nodeId, agent]));
    await waitFor(
      async () => {
        const stored = await cluster.history(monitor.id);
        return [...nodeIds.keys()].every((id) => stored.some((r) => r.nodeId === id))
          ? true
          : undefined;
      },
      20_000,
      () => `results from every agent; logs:\n${daemonLogs(cluster)}`,
      500,
    );

    // One host's blocks in turn (each rewrites that host's nft table), the hosts at once.
    await Promise.all(
      CUT.map(async (agent) => {
        await cluster.lab.block(agent, 'target');
        await cluster.lab.block(agent, 'gateway');
      }),
    );
    const cutAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));

    const incidents = await cluster.cliJson<IncidentView[]>(COORDINATOR, ['incidents']);
    const pages = hooks.under('/shop/');
    const afterCut = (await cluster.history(monitor.id)).filter((r) => r.checkedAt >= cutAt);
    const fromCut = (r: StoredResult) => CUT.some((agent) => nodeIds.get(r.nodeId) === agent);
    const tally = (status: string) =>
      afterCut.filter((r) => fromCut(r) && r.status === status).length;
    t.diagnostic(
      `after the cut: ${pages.length} pages, ${incidents.length} incidents; cut agents' results: ` +
        `${tally('error')} error, ${tally('down')} down, ${tally('up')} up`,
    );
    const why = `logs:\n${daemonLogs(cluster)}`;
    assert.deepEqual(
      pages.map((p) => p.headers['x-crosscheck-event']),
      [],
      `no page for a healthy target; ${why}`,
    );
    assert.deepEqual(incidents, [], `no incident; ${why}`);
    assert.ok(tally('error') >= CUT.length, `the cut agents record node errors; ${why}`);
    // A check that started within a canary run's 1 s lead of the cut may still say down; later
    // ones are judged by a canary run made after the cut.
    const lateDowns = afterCut.filter(
      (r) => fromCut(r) && r.status === 'down' && r.checkedAt > cutAt + 3_000,
    );
    assert.deepEqual(lateDowns, [], `no down from a cut agent after its first seconds; ${why}`);
    const healthy = afterCut.filter((r) => nodeIds.get(r.nodeId) === 'a4');
    assert.ok(healthy.length > 0 && healthy.every((r) => r.status === 'up'), 'a4 sees it up');
  });
});
