// High availability across namespaces (issue #17): three coordinators on one PostgreSQL server in
// a namespace of its own, three agents, a real target and a webhook receiver; lease ttl 3 s.
// 1. The leader is killed -9 during a real outage (once after the down page, once while the
//    outage is still being confirmed): a new leader within ttl + 5 s, one page each way, no
//    node alert, and every agent's results stored exactly once.
// 2. Split brain: the leader is cut off from PostgreSQL only. It stops acting, another leads,
//    agents follow, and once the cut is lifted nothing the old leader decided lands.
// Needs root, `ip`, `nft` and the PostgreSQL server binaries.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/cli.ts';
import { PEER_PORT } from '../helpers/cluster-lab.ts';
import type { ClusterHealth } from '../helpers/cluster-lab.ts';
import { AGENT_HOSTS, bootHaLab, LEASE_TTL_MS } from '../helpers/ha-lab.ts';
import type { HaLab } from '../helpers/ha-lab.ts';
import { netnsAvailable } from '../helpers/netns.ts';
import { postgresBinDir } from '../helpers/postgres-server.ts';
import type { ReceivedRequest } from '../helpers/webhook-receiver.ts';

const available = netnsAvailable();
const binaries = postgresBinDir();
const skip = !available.ok ? available.reason : 'missing' in binaries ? binaries.missing : false;
/** The brief's bound on a failover after a crash: ttl + 5 s. */
const FAILOVER_BOUND_MS = LEASE_TTL_MS + 5_000;
/** After the last expected page, how long a duplicate gets to show up before we count. */
const SETTLE_MS = 5_000;
const PAGE_MS = 40_000;
/**
 * What asking every coordinator's health through the CLI adds on a loaded 2-core runner (a Node
 * start per call, an API that is being rebuilt while the new leader switches planes).
 */
const CLI_SLACK_MS = 10_000;

describe('high availability across namespaces', { skip, timeout: 480_000 }, () => {
  let ha: HaLab;
  before(async () => {
    ha = await bootHaLab();
  });
  after(async () => {
    await ha?.cleanup();
  });

  it('kill -9 the leader during a real outage, twice: one page each way, no node alert, no result lost', async (t) => {
    const monitor = await ha.addMonitor('failover', '/failover/');
    await waitAgentResults(ha, monitor.id);
    const agentIds = AGENT_HOSTS.map((agent) => ha.nodeIds[agent]);

    for (const killWhen of ['after the down page', 'while confirming'] as const) {
      const before = ha.hooks.under('/failover/').length;
      const leader = await ha.waitLeader();
      await ha.stopTarget();
      if (killWhen === 'after the down page') await waitPage(ha, '/failover/', before, 'down');
      const killedAt = Date.now();
      await ha.cluster.stopNode(leader, 'SIGKILL');
      const next = await ha.waitLeader({ not: leader, timeoutMs: FAILOVER_BOUND_MS + 20_000 });
      const visibleMs = Date.now() - killedAt;
      const acquiredAt = logTime(
        ha.cluster.node(next).process.stderr(),
        'leader lease acquired',
        'last',
      );
      const failoverMs = acquiredAt - killedAt;
      t.diagnostic(
        `${killWhen}: killed ${leader} at ${new Date(killedAt).toISOString()}; ${next} acquired the lease after ${failoverMs} ms, its health said so after ${visibleMs} ms`,
      );
      assert.ok(
        failoverMs <= FAILOVER_BOUND_MS,
        `a new leader within ttl + 5 s (took ${failoverMs} ms)`,
      );
      assert.ok(
        visibleMs <= FAILOVER_BOUND_MS + CLI_SLACK_MS,
        `health shows the new leader within ttl + 5 s plus the CLI's own time (took ${visibleMs} ms)`,
      );
      await waitPage(ha, '/failover/', before, 'down');
      // The killed one comes back as a follower; the next round kills whoever leads then.
      await ha.restartCoordinator(leader);
      await ha.startTarget();
      await waitPage(ha, '/failover/', before, 'recovered');
      await delay(SETTLE_MS);
      const pages = ha.hooks.under('/failover/').slice(before);
      t.diagnostic(`${killWhen}: pages ${JSON.stringify(pages.map(describePage))}`);
      assert.deepEqual(
        pages.map((page) => page.headers['x-crosscheck-event']),
        ['down', 'recovered'],
        `exactly one down and one recovered page; logs:\n${ha.diagnostics()}`,
      );
    }
    const nodeAlerts = ha.hooks.under('/node');
    assert.deepEqual(
      nodeAlerts.map(describePage),
      [],
      `no node alert caused by a failover; logs:\n${ha.diagnostics()}`,
    );

    // Stop production without pausing (a paused monitor's in-flight results are dropped on
    // purpose, which would count as lost): assign the monitor to no node.
    const drained = await ha.cluster.cli(ha.anyCoordinator(), [
      'monitor',
      'edit',
      monitor.id,
      '--node-label',
      'drained=yes',
    ]);
    assert.equal(drained.code, 0, drained.stderr);
    const produced = await settledProduction(ha);
    const stored = await ha.db.query<{ node_id: string; total: string; distinct_ids: string }>(
      `select node_id, count(*) as total, count(distinct id) as distinct_ids
         from results where monitor_id = $1 group by node_id`,
      [monitor.id],
    );
    AGENT_HOSTS.forEach((agent, i) => {
      const row = stored.find((r) => r.node_id === agentIds[i]);
      t.diagnostic(
        `${agent}: produced ${produced[i]}, stored ${row?.total} (${row?.distinct_ids} distinct)`,
      );
      assert.equal(Number(row?.distinct_ids), Number(row?.total), `${agent}: no result twice`);
      assert.equal(
        Number(row?.total),
        produced[i],
        `${agent}: every result it produced is stored exactly once`,
      );
    });
  });

  it('split brain: the leader cut off from PostgreSQL stops acting, another leads, its late writes are refused', async (t) => {
    // Whatever the first test left (it stops at its first failure) is undone first.
    await ha.heal();
    const monitor = await ha.addMonitor('split', '/split/');
    await waitAgentResults(ha, monitor.id);
    const before = ha.hooks.under('/split/').length;
    const nodeAlertsBefore = ha.hooks.under('/node').length;
    const old = await ha.waitLeader();
    const oldProcess = ha.cluster.node(old).process;
    const oldEpoch = await leaseEpoch(ha);
    const others = ha.runningCoordinators().filter((host) => host !== old);

    // The outage starts, then the leader loses the database while it is confirming it.
    await ha.stopTarget();
    const logBefore = oldProcess.stderr().length;
    const cutAt = Date.now();
    await ha.cluster.lab.block(old, 'pg');
    t.after(() => ha.cluster.lab.unblock(old, 'pg'));

    await waitFor(
      () => (oldProcess.stderr().slice(logBefore).includes('leader lease lost') ? true : undefined),
      LEASE_TTL_MS + 5_000,
      () => `${old} to log that it lost the lease; logs:\n${ha.diagnostics()}`,
      100,
    );
    const next = await ha.waitLeader({ among: others, timeoutMs: FAILOVER_BOUND_MS + 20_000 });
    const visibleMs = Date.now() - cutAt;
    // Timed from the daemons' own log lines (this machine's one clock), not from the CLI polls.
    const lostAt = logTime(oldProcess.stderr().slice(logBefore), 'leader lease lost');
    const acquiredAt = logTime(
      ha.cluster.node(next).process.stderr(),
      'leader lease acquired',
      'last',
    );
    const stoppedMs = lostAt - cutAt;
    const failoverMs = acquiredAt - cutAt;
    t.diagnostic(
      `${old} cut off: it stopped acting after ${stoppedMs} ms; ${next} acquired the lease after ${failoverMs} ms (${acquiredAt - lostAt} ms later), its health said so after ${visibleMs} ms`,
    );
    assert.ok(
      stoppedMs <= LEASE_TTL_MS,
      `the cut-off leader stops within the ttl (${stoppedMs} ms)`,
    );
    assert.ok(failoverMs <= FAILOVER_BOUND_MS, `another leads within ttl + 5 s (${failoverMs} ms)`);
    assert.ok(
      visibleMs <= FAILOVER_BOUND_MS + CLI_SLACK_MS,
      `health shows it within ttl + 5 s plus the CLI's own time (${visibleMs} ms)`,
    );
    // No instant with two leaders.
    assert.ok(lostAt < acquiredAt, `${old} stopped acting before ${next} took over`);
    const newEpoch = await leaseEpoch(ha);
    assert.ok(newEpoch > oldEpoch, `a new epoch (${oldEpoch} → ${newEpoch})`);

    // Agents still reach the old leader, which does not take them: they all end at the new one.
    const nextAddress = `${ha.cluster.lab.host(next).address}:${PEER_PORT}`;
    await waitFor(
      async () => {
        const healths = await Promise.all(
          AGENT_HOSTS.map((agent) => ha.cluster.cliJson<ClusterHealth>(agent, ['health'])),
        );
        return healths.every(
          (health) =>
            health.cluster?.coordinator?.connected === true &&
            health.cluster.coordinator.address === nextAddress,
        )
          ? true
          : undefined;
      },
      30_000,
      () => `every agent connected to ${next}; logs:\n${ha.diagnostics()}`,
      500,
    );
    await waitPage(ha, '/split/', before, 'down');

    // Lift the cut: whatever the old leader still had in flight reaches the database now.
    await ha.cluster.lab.unblock(old, 'pg');
    const healedAt = Date.now();
    await ha.startTarget();
    await waitPage(ha, '/split/', before, 'recovered');
    await delay(SETTLE_MS);
    t.diagnostic(`cut lifted ${healedAt - cutAt} ms after it started`);

    const pages = ha.hooks.under('/split/').slice(before);
    t.diagnostic(`pages ${JSON.stringify(pages.map(describePage))}`);
    assert.deepEqual(
      pages.map((page) => page.headers['x-crosscheck-event']),
      ['down', 'recovered'],
      `one page each way, none twice; logs:\n${ha.diagnostics()}`,
    );
    assert.deepEqual(ha.hooks.under('/node').slice(nodeAlertsBefore).map(describePage), []);
    const incidents = await ha.incidents(monitor.id);
    assert.equal(incidents.length, 1, `one incident: ${JSON.stringify(incidents)}`);

    // The old leader is a follower for good: its health says so, and nothing it decided after
    // the new epoch began is stored (its own check results would be leader writes).
    // Its API answers again once its follower planes are built, after the cut (the leader
    // planes' stop waits for what was stuck on the database).
    const health = await waitFor(
      async () => {
        const answered = await ha.coordinatorHealth(old);
        return answered?.cluster?.lease === undefined ? undefined : answered;
      },
      30_000,
      () => `${old}'s health after the cut; logs:\n${ha.diagnostics()}`,
      500,
    );
    t.diagnostic(`${old} answers health ${Date.now() - healedAt} ms after the cut was lifted`);
    assert.equal(health.cluster?.lease?.leading, false, `${old} does not lead after the cut`);
    assert.equal(health.cluster?.lease?.holder?.nodeId, ha.nodeIds[next]);
    const acquired = await ha.db.query<{ acquired_at: string }>(
      'select acquired_at from leader_lease',
    );
    const late = await ha.db.query<{ n: string }>(
      'select count(*) as n from results where node_id = $1 and checked_at >= $2',
      [ha.nodeIds[old], Number(acquired[0]?.acquired_at)],
    );
    assert.equal(Number(late[0]?.n), 0, `no result of ${old} checked under the new epoch`);
    const refusals = oldProcess
      .stderr()
      .slice(logBefore)
      .split('\n')
      .filter((line) => /FENCED|not the leader any more/.test(line));
    t.diagnostic(`${old}: ${refusals.length} refused leader writes/sends logged after the cut`);
    for (const line of refusals.slice(0, 5)) t.diagnostic(line.slice(0, 300));
    // What it still had in flight when the cut came was refused, not stored.
    assert.ok(refusals.length > 0, `${old} logged its late writes refused`);
  });
});

/** Waits until every agent has stored results of the monitor. */
async function waitAgentResults(ha: HaLab, monitorId: string): Promise<void> {
  const ids = AGENT_HOSTS.map((agent) => ha.nodeIds[agent]);
  await waitFor(
    async () => {
      const stored = await ha.history(monitorId);
      return ids.every((id) => stored.some((result) => result.nodeId === id)) ? true : undefined;
    },
    30_000,
    () => `results of ${monitorId} from every agent; logs:\n${ha.diagnostics()}`,
    500,
  );
}

/** Waits for a page of `kind` under `path` received after the first `skip` ones. */
async function waitPage(ha: HaLab, path: string, skip: number, kind: string): Promise<void> {
  await waitFor(
    () =>
      ha.hooks
        .under(path)
        .slice(skip)
        .find((page) => page.headers['x-crosscheck-event'] === kind),
    PAGE_MS,
    () => `the ${kind} page on ${path}; logs:\n${ha.diagnostics()}`,
    100,
  );
}

/**
 * Each agent's resultsProduced once every outbox is empty and the counts stayed the same across
 * two reads more than two check intervals apart.
 */
async function settledProduction(ha: HaLab): Promise<number[]> {
  let previous: number[] | undefined;
  return waitFor(
    async () => {
      const healths = await Promise.all(
        AGENT_HOSTS.map((agent) => ha.cluster.cliJson<ClusterHealth>(agent, ['health'])),
      );
      const produced = healths.map((health) => health.cluster?.resultsProduced ?? -1);
      const empty = healths.every((health) => health.cluster?.outbox?.backlog === 0);
      const stable = previous !== undefined && produced.every((n, i) => n === previous?.[i]);
      previous = produced;
      return empty && stable ? produced : undefined;
    },
    60_000,
    () => `drained outboxes and settled counts; logs:\n${ha.diagnostics()}`,
    2_500,
  );
}

/** The time of the first (or last) JSON log line with this message in a daemon's output. */
function logTime(output: string, msg: string, which: 'first' | 'last' = 'first'): number {
  const times = output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(`"msg":"${msg}"`))
    .map((line) => Date.parse((JSON.parse(line) as { time: string }).time));
  const found = which === 'first' ? times[0] : times.at(-1);
  assert.ok(found !== undefined, `a "${msg}" log line`);
  return found;
}

async function leaseEpoch(ha: HaLab): Promise<number> {
  const rows = await ha.db.query<{ epoch: string }>('select epoch from leader_lease');
  return Number(rows[0]?.epoch);
}

function describePage(page: ReceivedRequest): string {
  const node = (page.json as { node?: { id?: string } } | undefined)?.node?.id;
  return `${String(page.headers['x-crosscheck-event'])} ${String(page.headers['x-crosscheck-idempotency-key'])}${node === undefined ? '' : ` ${node}`}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
