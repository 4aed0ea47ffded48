// Quiet coordinator restarts (issue #10, hole 3): the coordinator is killed -9 and restarted five
// times, down 1–10 s each time so the agents' reconnect backoff grows, with four agents and node
// alert routes set so a `node-missing` WOULD page. No node alert may be stored or sent; the one
// real outage in between (the target stops, then starts) pages once each way; and an agent that
// truly stays away across a restart is still reported missing, once. Needs root, `ip` and `nft`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/cli.ts';
import { COORDINATOR } from '../helpers/cluster-lab.ts';
import { AGENTS, bootConsensusLab, US } from '../helpers/consensus-lab.ts';
import type { ConsensusLab } from '../helpers/consensus-lab.ts';
import { netnsAvailable } from '../helpers/netns.ts';
import type { ReceivedRequest } from '../helpers/webhook-receiver.ts';

const available = netnsAvailable();
const skip = available.ok ? false : available.reason;
/** The consensus lab's membership policy: 1 s heartbeats, missing after 5 silent ones. */
const GRACE_MS = 5 * 1_000;
/** How long the coordinator stays down before each restart. */
const DOWN_MS = [1_000, 3_000, 6_000, 10_000, 2_000] as const;
/** After the last expected page, how long a duplicate gets to show up before we count. */
const SETTLE_MS = 4_000;
const STAYS_AWAY = 'us-2';

describe('coordinator restarts across namespaces', { skip, timeout: 600_000 }, () => {
  let lab: ConsensusLab;
  before(async () => {
    lab = await bootConsensusLab({ agents: [...AGENTS, { name: STAYS_AWAY, region: US }] });
  });
  after(async () => {
    await lab?.cleanup();
  });

  it('kill -9 and restart 5 times with 4 agents: no node alert, one page each way for the real outage', async (t) => {
    const monitor = await lab.addMonitor({
      name: 'restarts',
      type: 'http',
      target: 'target',
      webhook: '/restarts/',
    });
    await lab.waitChecking(monitor.id);
    // Enrolled agents that had not started yet went missing while the lab booted (unpaged: they
    // were never online); count from here.
    const since = Date.now();

    for (const [index, downMs] of DOWN_MS.entries()) {
      if (index === 2) {
        // A real outage, open across the next restart.
        await lab.stopTarget('target');
        await waitFor(
          () => ofKind(lab.hooks.under('/restarts/'), 'down')[0],
          30_000,
          () => `the down page; logs:\n${lab.diagnostics()}`,
          100,
        );
      }
      const before = lab.hooks.under('/node').length;
      const { backAfterMs } = await restartCoordinator(lab, downMs);
      // Give a node that did not make it in time the whole grace period to be reported.
      await delay(GRACE_MS + 2_000);
      t.diagnostic(
        `restart ${index + 1}: down ${downMs} ms, every agent back ${backAfterMs} ms after the restart, node alerts ${lab.hooks.under('/node').length - before}`,
      );
      if (index === 2) {
        await lab.startTarget('target');
        await waitFor(
          () => ofKind(lab.hooks.under('/restarts/'), 'recovered')[0],
          30_000,
          () => `the recovery page; logs:\n${lab.diagnostics()}`,
          200,
        );
      }
    }
    await delay(SETTLE_MS);

    const nodeAlerts = lab.hooks.under('/node');
    const missingEvents = await storedMissingEvents(lab, since);
    t.diagnostic(
      `over ${DOWN_MS.length} restarts: ${nodeAlerts.length} node alerts sent, ${missingEvents} node-missing transitions stored`,
    );
    assert.deepEqual(describeAll(nodeAlerts), [], `no node alert; logs:\n${lab.diagnostics()}`);
    assert.equal(missingEvents, 0, 'no node went missing in the store');
    // One page is one idempotency key: delivery is at least once, so a kill -9 between the
    // receiver's 2xx and the `sent` mark may repeat a request with the same key (documented).
    const pages = lab.hooks.under('/restarts/');
    const keys = pages.map(
      (r) =>
        `${String(r.headers['x-crosscheck-event'])} ${String(r.headers['x-crosscheck-idempotency-key'])}`,
    );
    t.diagnostic(`monitor pages: ${JSON.stringify(keys)}`);
    assert.deepEqual(
      [...new Set(keys)].map((key) => key.split(' ')[0]),
      ['down', 'recovered'],
      `one page each way: ${JSON.stringify(keys)}`,
    );
    await lab.deleteMonitor(monitor.id);
  });

  it('an agent that stays away across a restart is still reported missing, once', async (t) => {
    const before = lab.hooks.under('/node').length;
    await lab.cluster.stopNode(STAYS_AWAY);
    const { startedAt } = await restartCoordinator(lab, 2_000, STAYS_AWAY);
    const page = await waitFor(
      () => ofKind(lab.hooks.under('/node').slice(before), 'node-missing')[0],
      GRACE_MS + 20_000,
      () => `the node-missing page of ${STAYS_AWAY}; logs:\n${lab.diagnostics()}`,
      100,
    );
    t.diagnostic(`node-missing paged ${page.receivedAt - startedAt} ms after the restart`);
    assert.equal((page.json as { node?: { id?: string } }).node?.id, lab.nodeIds[STAYS_AWAY]);
    await delay(GRACE_MS + SETTLE_MS);
    assert.deepEqual(
      describeAll(lab.hooks.under('/node').slice(before)),
      [`node-missing ${lab.nodeIds[STAYS_AWAY]}`],
      'exactly one node alert: the node that stayed away',
    );
  });
});

/**
 * kill -9, `downMs` without a coordinator, start again; resolves once every running agent is
 * connected, with when the coordinator was up and how long the agents took after that.
 */
async function restartCoordinator(
  lab: ConsensusLab,
  downMs: number,
  absent?: string,
): Promise<{ startedAt: number; backAfterMs: number }> {
  await lab.cluster.stopNode(COORDINATOR, 'SIGKILL');
  await delay(downMs);
  await lab.cluster.startNode(COORDINATOR);
  const startedAt = Date.now();
  const agents = lab.cluster.agents.filter((agent) => agent !== absent);
  await Promise.all(agents.map((agent) => lab.cluster.waitConnected(agent, 60_000)));
  return { startedAt, backAfterMs: Date.now() - startedAt };
}

/** Stored `→ missing` events of every agent since `since` (`node show --json` on the coordinator). */
async function storedMissingEvents(lab: ConsensusLab, since: number): Promise<number> {
  let count = 0;
  for (const agent of lab.cluster.agents) {
    const shown = await lab.cluster.cliJson<{ events: { to: string; at: number }[] }>(COORDINATOR, [
      'node',
      'show',
      lab.nodeIds[agent] ?? agent,
    ]);
    count += shown.events.filter((event) => event.to === 'missing' && event.at >= since).length;
  }
  return count;
}

function ofKind(requests: readonly ReceivedRequest[], kind: string): ReceivedRequest[] {
  return requests.filter((request) => request.headers['x-crosscheck-event'] === kind);
}

/** "kind node-id" of each node alert request, for assertion messages. */
function describeAll(requests: readonly ReceivedRequest[]): string[] {
  return requests.map(
    (r) =>
      `${String(r.headers['x-crosscheck-event'])} ${String((r.json as { node?: { id?: string } } | undefined)?.node?.id ?? '')}`,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
