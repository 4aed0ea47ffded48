// Coordinator outage across network namespaces (issue #3): agents keep checking from their cached
// config while the coordinator is down, and once it is back every result they produced is stored
// exactly once (counted per agent against the agent's own count). Needs root, `ip` and `nft`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../helpers/cli.ts';
import { bootCluster, COORDINATOR, daemonLogs } from '../helpers/cluster-lab.ts';
import type { ClusterHealth, ClusterLab } from '../helpers/cluster-lab.ts';
import { netnsAvailable } from '../helpers/netns.ts';

const available = netnsAvailable();
const skip = available.ok ? false : available.reason;
const OUTAGE_MS = 5_000;

describe('cluster across namespaces: coordinator outage', { skip, timeout: 150_000 }, () => {
  it('agents keep checking while the coordinator is down; afterwards every result is stored exactly once', async (t) => {
    const cluster = await bootCluster({
      agents: [
        { name: 'agent-a', region: 'eu' },
        { name: 'agent-b', region: 'us' },
      ],
      target: true,
    });
    t.after(() => cluster.cleanup());
    const agents = cluster.agents;
    const target = cluster.target;
    assert.ok(target);

    const monitor = await cluster.addTargetMonitor();
    const nodeIds = agents.map((agent) => cluster.node(agent).nodeId);
    // Both agents have the monitor and their results reach the coordinator.
    await waitFor(
      async () => {
        const stored = await cluster.history(monitor.id);
        return nodeIds.every((id) => stored.some((result) => result.nodeId === id))
          ? true
          : undefined;
      },
      20_000,
      () => `results from every agent; logs:\n${daemonLogs(cluster)}`,
      500,
    );

    assert.equal(await cluster.stopNode(COORDINATOR), 0, 'the coordinator stops cleanly');
    const stoppedAt = Date.now();
    const atStop = await producedByAgent(cluster);
    // Bounded by OUTAGE_MS plus slack; ends once the outage lasted OUTAGE_MS and every agent
    // showed it was checking on its own (produced more, backlog growing, channel down).
    const during = await waitFor(
      async () => {
        const healths = await Promise.all(agents.map((agent) => cluster.health(agent)));
        const checking = healths.every((health, i) => {
          const c = health.cluster;
          return (
            c?.coordinator?.connected === false &&
            (c.outbox?.backlog ?? 0) > 0 &&
            (c.resultsProduced ?? 0) >= (atStop[i] ?? 0) + 3
          );
        });
        return checking && Date.now() - stoppedAt >= OUTAGE_MS ? healths : undefined;
      },
      OUTAGE_MS + 15_000,
      () => `agents checking while the coordinator is down; logs:\n${daemonLogs(cluster)}`,
      500,
    );
    for (const health of during) assert.equal(health.cluster?.role, 'agent');

    await cluster.startNode(COORDINATOR);
    // Reconnect backoff after a 5 s outage can be several seconds.
    await Promise.all(agents.map((agent) => cluster.waitConnected(agent, 40_000)));
    // Stop production by assigning the monitor to no node. Not `monitor pause`: the coordinator
    // drops results of a paused monitor, so a result an agent produced before the pause reached
    // it, still in flight, would be dropped and counted as lost (seen in about half the runs).
    const drained = await cluster.cli(COORDINATOR, [
      'monitor',
      'edit',
      monitor.id,
      '--node-label',
      'drained=yes',
    ]);
    assert.equal(drained.code, 0, drained.stderr);

    // Settled: every outbox empty and the counts unchanged across two reads more than two
    // check intervals apart (the edit has reached the agents and the last check has finished).
    let previous: number[] | undefined;
    let settledHealths: ClusterHealth[] = [];
    const settled = await waitFor(
      async () => {
        const healths = await Promise.all(agents.map((agent) => cluster.health(agent)));
        const produced = healths.map((health) => health.cluster?.resultsProduced ?? -1);
        const drained = healths.every((health) => health.cluster?.outbox?.backlog === 0);
        const stable = previous !== undefined && produced.every((n, i) => n === previous?.[i]);
        previous = produced;
        settledHealths = healths;
        return drained && stable ? produced : undefined;
      },
      40_000,
      () => `drained outboxes and settled counts; logs:\n${daemonLogs(cluster)}`,
      2_500,
    );

    const stored = await cluster.history(monitor.id);
    const ids = stored.map((result) => result.id);
    assert.equal(new Set(ids).size, ids.length, 'no result is stored twice');
    agents.forEach((agent, i) => {
      const fromAgent = stored.filter((result) => result.nodeId === nodeIds[i]).length;
      const backlog = during[i]?.cluster?.outbox?.backlog;
      t.diagnostic(
        `${agent}: produced ${settled[i]} (${atStop[i]} before the outage, backlog ${backlog} during it), stored ${fromAgent}`,
      );
      assert.ok(
        (settled[i] ?? 0) > (atStop[i] ?? 0),
        `${agent} produced results during the outage`,
      );
      assert.equal(
        fromAgent,
        settled[i],
        `${agent}: stored results == results it produced (none lost, none twice)`,
      );
    });
    for (const health of settledHealths)
      assert.equal(health.cluster?.outbox?.dropped, 0, 'nothing was pruned from an outbox');
  });
});

async function producedByAgent(cluster: ClusterLab): Promise<number[]> {
  const healths: ClusterHealth[] = await Promise.all(
    cluster.agents.map((agent) => cluster.health(agent)),
  );
  return healths.map((health) => health.cluster?.resultsProduced ?? 0);
}
