// Membership across network namespaces (issue #3): a removed node is shut out for good, and an
// agent cut off from the coordinator goes grace → missing, then online again once healed.
// Needs root, `ip` and `nft`.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PEER_ALPN } from '../../src/cluster/pki/tls-options.ts';
import { waitFor } from '../helpers/cli.ts';
import { bootCluster, COORDINATOR, daemonLogs, PEER_PORT } from '../helpers/cluster-lab.ts';
import type { ClusterLab, NodeDetail, NodeView, StoredResult } from '../helpers/cluster-lab.ts';
import { netnsAvailable } from '../helpers/netns.ts';
import { probePeerPort } from '../helpers/peer-probe.ts';

const available = netnsAvailable();
const skip = available.ok ? false : available.reason;

describe('cluster across namespaces: membership', { skip, timeout: 120_000 }, () => {
  it('node remove shuts a live agent out: gone from the list, channel closed, reconnects refused, no new results', async (t) => {
    const cluster = await bootCluster({
      agents: [
        { name: 'agent-a', region: 'eu' },
        { name: 'agent-b', region: 'eu' },
      ],
      target: true,
    });
    t.after(() => cluster.cleanup());
    const target = cluster.target;
    assert.ok(target);
    const removedId = cluster.node('agent-a').nodeId;
    const keptId = cluster.node('agent-b').nodeId;

    const monitor = await cluster.addTargetMonitor();
    await waitFor(
      async () => {
        const counts = countByNode(await cluster.history(monitor.id));
        return (counts.get(removedId) ?? 0) > 0 && (counts.get(keptId) ?? 0) > 0 ? true : undefined;
      },
      20_000,
      () => `results from both agents; logs:\n${daemonLogs(cluster)}`,
      500,
    );
    const ownCert = certFiles(cluster, 'agent-a');
    const before = await probeFromAgent(cluster, ownCert);
    assert.match(
      before.firstLine ?? '',
      /^HTTP\/1\.1 /,
      `agent-a's certificate is accepted before removal`,
    );

    const removed = await cluster.cli(COORDINATOR, ['node', 'remove', removedId]);
    assert.equal(removed.code, 0, removed.stderr);

    const listed = await cluster.nodeList();
    assert.ok(!listed.some((node) => node.id === removedId), 'the removed node is not listed');
    assert.ok(
      listed.some((node) => node.id === keptId),
      'the other agent stays',
    );

    await waitFor(
      async () =>
        (await cluster.health('agent-a')).cluster?.coordinator?.connected === false
          ? true
          : undefined,
      10_000,
      () => `agent-a's channel to close; logs:\n${daemonLogs(cluster)}`,
      250,
    );
    const storedAtClose = countByNode(await cluster.history(monitor.id));

    // Its reconnects are refused at the handshake: the same certificate no longer gets in.
    const after = await probeFromAgent(cluster, ownCert);
    assert.equal(after.bytesReceived, 0, `revoked certificate refused: ${JSON.stringify(after)}`);
    assert.ok(!after.handshake || after.closed, JSON.stringify(after));

    // Persistently disconnected over several reconnect attempts (backoff starts at 0.5 s).
    for (let read = 0; read < 4; read++) {
      await delay(1_000);
      const health = await cluster.health('agent-a');
      assert.equal(health.cluster?.coordinator?.connected, false, `read ${read}: still shut out`);
    }
    const storedLater = countByNode(await cluster.history(monitor.id));
    assert.equal(
      storedLater.get(removedId) ?? 0,
      storedAtClose.get(removedId) ?? 0,
      'no result from the removed node is stored after its channel closed',
    );
    assert.ok(
      (storedLater.get(keptId) ?? 0) > (storedAtClose.get(keptId) ?? 0),
      'the remaining agent keeps delivering (so the comparison above means something)',
    );
    assert.ok(!(await cluster.nodeList()).some((node) => node.id === removedId));
  });

  it('an agent cut off from the coordinator past the grace period is missing, then online after healing', async (t) => {
    const cluster = await bootCluster({
      agents: [
        { name: 'agent-a', region: 'eu' },
        { name: 'agent-b', region: 'us' },
      ],
      heartbeat: '1s',
      graceCount: 3,
    });
    t.after(() => cluster.cleanup());
    const cutId = cluster.node('agent-a').nodeId;
    const otherId = cluster.node('agent-b').nodeId;
    await waitFor(
      async () =>
        (await cluster.nodeList()).every((node) => node.state === 'online') ? true : undefined,
      15_000,
      () => 'every node online',
      500,
    );

    await cluster.lab.block('agent-a', COORDINATOR);
    const seen = new Set<string>();
    const atMissing = await waitFor(
      async () => {
        const nodes = await cluster.nodeList();
        const state = stateOf(nodes, cutId);
        if (state) seen.add(state);
        return state === 'missing' ? nodes : undefined;
      },
      20_000,
      () => `agent-a missing (seen: ${[...seen].join(', ')}); logs:\n${daemonLogs(cluster)}`,
      300,
    );
    assert.equal(stateOf(atMissing, otherId), 'online', 'the other agent is unaffected');
    assert.equal(stateOf(atMissing, cluster.node(COORDINATOR).nodeId), 'online');

    await cluster.lab.unblock('agent-a', COORDINATOR);
    await waitFor(
      async () => (stateOf(await cluster.nodeList(), cutId) === 'online' ? true : undefined),
      40_000,
      () => `agent-a online again; logs:\n${daemonLogs(cluster)}`,
      500,
    );
    await cluster.waitConnected('agent-a');

    const detail = await cluster.cliJson<NodeDetail>(COORDINATOR, ['node', 'show', cutId]);
    assert.equal(detail.node.id, cutId);
    assert.equal(detail.node.state, 'online');
    // node show lists the newest first; read them oldest first.
    const events = detail.events.toSorted((a, b) => a.at - b.at);
    const transitions = events.map((event) => `${event.from}→${event.to}`);
    const why = `transitions: ${transitions.join(', ')}`;
    events.forEach((event, i) => {
      const previous = events[i - 1];
      if (previous) assert.equal(event.from, previous.to, `a consistent chain (${why})`);
    });
    assert.ok(isSubsequence(['online→grace', 'grace→missing'], transitions), why);
    // Back from missing only through a live channel: straight to online (stale heartbeats of
    // the dead connection do not count), so the "back online" alert always fires.
    const afterMissing = transitions.slice(transitions.lastIndexOf('grace→missing') + 1);
    assert.deepEqual(afterMissing, ['missing→online'], why);
  });
});

function countByNode(results: readonly StoredResult[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const result of results) counts.set(result.nodeId, (counts.get(result.nodeId) ?? 0) + 1);
  return counts;
}

function stateOf(nodes: readonly NodeView[], id: string): string | undefined {
  return nodes.find((node) => node.id === id)?.state;
}

function certFiles(cluster: ClusterLab, host: string): { certFile: string; keyFile: string } {
  const dir = path.join(cluster.dataDir(host), 'certs');
  return { certFile: path.join(dir, 'node.crt'), keyFile: path.join(dir, 'node.key') };
}

function probeFromAgent(
  cluster: ClusterLab,
  files: { certFile: string; keyFile: string },
): ReturnType<typeof probePeerPort> {
  return probePeerPort(cluster.lab, 'agent-a', {
    host: cluster.lab.host(COORDINATOR).address,
    port: PEER_PORT,
    alpn: PEER_ALPN,
    ...files,
  });
}

/** True when `wanted` appears in `list` in order (other entries may sit between). */
function isSubsequence(wanted: readonly string[], list: readonly string[]): boolean {
  let next = 0;
  for (const item of list) if (item === wanted[next]) next += 1;
  return next === wanted.length;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
