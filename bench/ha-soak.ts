/**
 * Failover soak (issue #17): a loopback cluster of PostgreSQL + 3 coordinators + 3 agents (real
 * CLI processes, free ports), a few HTTP monitors on a loopback target this script switches off
 * and on, and a webhook receiver as their alert target and the node alerts' target. Each round:
 * the target refuses connections; at a random point of the outage the current leader gets
 * `kill -9`; the time from the kill until a surviving coordinator reports holding the lease is
 * measured (every survivor's health polled every 100 ms); once every monitor's `down` page
 * arrived the target comes back; once every `recovered` page arrived the killed coordinator is
 * started again (it comes back as a follower). Verified per round: exactly one `down` and one
 * `recovered` page per monitor, no `node-missing` page; at the end (monitors paused, outboxes
 * drained): every agent's results stored exactly once (distinct ids = rows, produced = stored).
 *
 *   node bench/ha-soak.ts                         20 rounds, lease ttl 10s, 3 monitors
 *   node bench/ha-soak.ts --rounds 5 --lease-ttl 5s --monitors 5 --json out.json
 *
 * Needs PostgreSQL's server binaries (test/helpers/postgres-server.ts). Only loopback traffic;
 * every wait is bounded; every process is stopped by pid (also on error and Ctrl-C). Exits 1
 * on any violation, 2 when the cluster could not be run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { postgresBinDir, startPostgres } from '../test/helpers/postgres-server.ts';
import type { WebhookReceiver } from '../test/helpers/webhook-receiver.ts';
import { startWebhookReceiver } from '../test/helpers/webhook-receiver.ts';
import { ChildProcesses } from './lib/child-processes.ts';
import type { AgentTally } from './lib/ha-checks.ts';
import { countPages, pageViolations, tallyAgentResults, watchTakeover } from './lib/ha-checks.ts';
import type { HaCluster, HaNode } from './lib/ha-cluster.ts';
import { startHaCluster, waitAgentsConnected } from './lib/ha-cluster.ts';
import { machineInfo } from './lib/machine.ts';
import { printTable } from './lib/scenario.ts';
import { spread } from './lib/stats.ts';
import type { SwitchableTarget } from './lib/switchable-target.ts';
import { startSwitchableTarget } from './lib/switchable-target.ts';
import { sleep } from './lib/time-bounds.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    'lease-ttl': { type: 'string', default: '10s' },
    monitors: { type: 'string', default: '3' },
    /** The kill falls uniformly within this many ms after the outage starts. */
    'kill-window': { type: 'string', default: '8000' },
    json: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const MONITORS = Number(values.monitors);
const KILL_WINDOW_MS = Number(values['kill-window']);
const TTL = values['lease-ttl'];
const ttlMs = parseSeconds(TTL);
if (!(ROUNDS >= 1 && ROUNDS <= 500 && MONITORS >= 1 && MONITORS <= 50 && ttlMs > 0))
  throw new Error('--rounds 1..500, --monitors 1..50, --lease-ttl like 10s');
/** A takeover slower than this is a violation (the promise is 1.2 × ttl, on a loaded machine). */
const TAKEOVER_BOUND_MS = 3 * ttlMs + 15_000;
const PAGE_BOUND_MS = 2 * ttlMs + 30_000;

function parseSeconds(text: string): number {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text);
  return match ? Number(match[1]) * 1000 : NaN;
}

/** One round's record, as printed. */
interface Round {
  round: number;
  killed: string;
  takenBy: string;
  epoch: number;
  killAfterOutageMs: number;
  downPagedBeforeKill: boolean;
  failoverMs: number | null;
  downPages: number;
  recoveredPages: number;
  nodeMissing: number;
  /** Other pages of the window by kind (node-impaired, regional…), for diagnosis. */
  otherPages: string;
  problems: string[];
}

/** Adds the soak's monitors through the CLI (1 s interval, threshold 2, webhook, no cooldown). */
async function addMonitors(
  cluster: HaCluster,
  node: HaNode,
  target: SwitchableTarget,
  receiver: WebhookReceiver,
): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 1; n <= MONITORS; n++) {
    const out = await cluster.cli(node, [
      'monitor',
      'add',
      '--name',
      `soak-${n}`,
      '--type',
      'http',
      '--target',
      `${target.url}m${n}`,
      '--interval',
      '1s',
      '--timeout',
      '1s',
      '--failure-threshold',
      '2',
      '--webhook',
      receiver.url,
      // Every round is a fresh outage that must page: no cooldown, and a flap window short
      // enough that a round every ~40 s is never flapping (which would mute pages).
      '--alert-cooldown',
      '0s',
      '--flap-window',
      '1s',
      '--json',
    ]);
    ids.push((JSON.parse(out) as { id: string }).id);
  }
  return ids;
}

/** Waits (bounded) until the receiver holds one page of `kind` per monitor since `from`. */
async function waitForPages(
  receiver: WebhookReceiver,
  from: number,
  kind: string,
  monitorIds: readonly string[],
): Promise<boolean> {
  const deadline = Date.now() + PAGE_BOUND_MS;
  while (Date.now() < deadline) {
    const count = countPages(receiver.requests.slice(from));
    const got = kind === 'down' ? count.down : count.recovered;
    if (monitorIds.every((id) => (got.get(id) ?? 0) >= 1)) return true;
    await sleep(100);
  }
  return false;
}

/** Waits (bounded) until every monitor is up on the leader's status list. */
async function waitAllUp(cluster: HaCluster, node: HaNode, ids: readonly string[]): Promise<void> {
  const deadline = Date.now() + PAGE_BOUND_MS;
  while (Date.now() < deadline) {
    const rows = JSON.parse(await cluster.cli(node, ['status', '--json'])) as {
      id: string;
      status: string;
    }[];
    if (ids.every((id) => rows.find((row) => row.id === id)?.status === 'up')) return;
    await sleep(500);
  }
  throw new Error('monitors not all up');
}

/** `up`/`down` and open incident per monitor on the current leader, to tell why a page is missing. */
async function monitorStates(cluster: HaCluster, ids: readonly string[]): Promise<string> {
  const leader = await cluster.leader();
  if (!leader) return 'no leader';
  const rows = JSON.parse(await cluster.cli(leader, ['status', '--json'])) as {
    id: string;
    status: string;
    openIncidentId: string | null;
  }[];
  const shown = ids.map((id) => rows.find((row) => row.id === id));
  return `${leader.name}: ${shown.map((row) => `${row?.status ?? '?'}${row?.openIncidentId ? ' (open incident)' : ''}`).join(', ')}`;
}

function tally(kinds: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${kind}×${n}`).join(' ') || '-';
}

async function runRound(
  n: number,
  cluster: HaCluster,
  target: SwitchableTarget,
  receiver: WebhookReceiver,
  monitorIds: readonly string[],
): Promise<Round> {
  const leader = await cluster.leader();
  if (!leader) throw new Error(`round ${n}: no coordinator holds the lease`);
  const pagesFrom = receiver.requests.length;
  const problems: string[] = [];
  const outageAt = target.stop('refuse');
  const killAfter = Math.round(Math.random() * KILL_WINDOW_MS);
  await sleep(killAfter);
  const downBefore = countPages(receiver.requests.slice(pagesFrom)).down.size > 0;
  const killedAt = await cluster.kill(leader);
  const takeover = await watchTakeover(cluster, TAKEOVER_BOUND_MS);
  if (!takeover) problems.push(`no takeover within ${TAKEOVER_BOUND_MS} ms`);
  if (!(await waitForPages(receiver, pagesFrom, 'down', monitorIds)))
    problems.push('down pages missing');
  await target.start();
  if (!(await waitForPages(receiver, pagesFrom, 'recovered', monitorIds)))
    problems.push('recovered pages missing');
  await cluster.start(leader);
  const back = await cluster.health(leader, 10_000);
  if (back.cluster?.lease?.leading !== false) problems.push(`${leader.name} restarted leading`);
  await waitAgentsConnected(cluster);
  // Late duplicates land in this window rather than the next round's.
  await sleep(3_000);
  const count = countPages(receiver.requests.slice(pagesFrom));
  problems.push(...pageViolations(count, monitorIds));
  if (problems.length > 0)
    problems.push(`states then: ${await monitorStates(cluster, monitorIds)}`);
  return {
    round: n,
    killed: leader.name,
    takenBy: takeover?.node.name ?? '-',
    epoch: takeover?.epoch ?? 0,
    killAfterOutageMs: killedAt - outageAt,
    downPagedBeforeKill: downBefore,
    failoverMs: takeover ? takeover.seenAt - killedAt : null,
    downPages: [...count.down.values()].reduce((a, b) => a + b, 0),
    recoveredPages: [...count.recovered.values()].reduce((a, b) => a + b, 0),
    nodeMissing: count.nodeMissing,
    otherPages: tally(count.other),
    problems,
  };
}

function report(rounds: Round[], tallies: AgentTally[], tallyProblems: string[], seconds: number) {
  printTable(
    `failover soak: ${rounds.length} rounds, lease ttl ${TTL}, ${MONITORS} monitors @1s`,
    [
      'round',
      'killed',
      'taken by',
      'epoch',
      'kill after outage ms',
      'paged before kill',
      'failover ms',
      'down',
      'recovered',
      'node-missing',
      'other pages',
      'problems',
    ],
    rounds.map((r) => [
      r.round,
      r.killed,
      r.takenBy,
      r.epoch,
      r.killAfterOutageMs,
      r.downPagedBeforeKill ? 'yes' : 'no',
      r.failoverMs ?? '-',
      r.downPages,
      r.recoveredPages,
      r.nodeMissing,
      r.otherPages,
      r.problems.join('; ') || 'ok',
    ]),
  );
  const failovers = spread(rounds.flatMap((r) => (r.failoverMs === null ? [] : [r.failoverMs])));
  console.log(
    `\nfailover (kill -9 → a survivor reports the lease), ${failovers.samples} rounds: p50 ${failovers.p50} ms, p95 ${failovers.p95} ms, max ${failovers.max} ms (ttl ${TTL}; promise 1.2 × ttl = ${1.2 * ttlMs} ms)`,
  );
  printTable(
    'agent results (monitors paused, outboxes drained)',
    ['agent', 'produced', 'stored', 'distinct ids', 'verdict'],
    tallies.map((t) => [
      t.name,
      t.produced,
      t.stored,
      t.distinctIds,
      t.produced === t.stored && t.stored === t.distinctIds ? 'ok' : 'VIOLATION',
    ]),
  );
  console.log(`\n${seconds} s in all`);
  return { failovers, tallyProblems };
}

const binaries = postgresBinDir();
if ('missing' in binaries) {
  console.error(`ha-soak: ${binaries.missing}`);
  process.exit(2);
}
const machine = machineInfo(false);
console.log(
  `ha-soak: ${machine.cores} cores, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, commit ${machine.commit}${machine.dirty ? ' (dirty tree)' : ''}`,
);
const children = new ChildProcesses();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-ha-soak-'));
const postgres = await startPostgres();
process.on('exit', (code) => {
  children.killAllNow();
  // Kept after a failure: the nodes' logs (<data dir>.log) and cli.log say why.
  if (code === 0) fs.rmSync(workDir, { recursive: true, force: true });
  else console.error(`ha-soak: logs kept in ${workDir}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nha-soak: ${signal}, stopping children`);
    void children
      .stopAll(3_000)
      .then(() => postgres.stop())
      .finally(() => process.exit(130));
  });
}

const started = performance.now();
const receiver = await startWebhookReceiver();
const target = await startSwitchableTarget();
let exitCode = 0;
let cluster: HaCluster | undefined;
try {
  cluster = await startHaCluster(children, workDir, postgres, {
    coordinators: 3,
    agents: 3,
    leaseTtl: TTL,
    // Grouping off: every monitor pages on its own, so pages count per monitor and outage.
    coordinatorArgs: ['--group-min', '0'],
  });
  const first = cluster.coordinators[0] as HaNode;
  await cluster.cli(first, ['node', 'alerts', '--webhook', receiver.url]);
  const monitorIds = await addMonitors(cluster, first, target, receiver);
  await waitAllUp(cluster, first, monitorIds);
  console.log(
    `cluster up in ${Math.round((performance.now() - started) / 1000)} s; ${ROUNDS} rounds`,
  );
  const rounds: Round[] = [];
  for (let n = 1; n <= ROUNDS; n++) {
    const round = await runRound(n, cluster, target, receiver, monitorIds);
    rounds.push(round);
    console.log(
      `round ${n}: killed ${round.killed} ${round.killAfterOutageMs} ms into the outage, ${round.takenBy} leads after ${round.failoverMs ?? '-'} ms; ${round.problems.join('; ') || 'ok'}`,
    );
  }
  const leader = (await cluster.leader()) ?? first;
  for (const id of monitorIds) await cluster.cli(leader, ['monitor', 'pause', id]);
  const tallies = await tallyAgentResults(cluster);
  const tallyProblems = tallies
    .filter((t) => !(t.produced === t.stored && t.stored === t.distinctIds && t.produced > 0))
    .map((t) => `${t.name}: produced ${t.produced}, stored ${t.stored}, distinct ${t.distinctIds}`);
  const { failovers } = report(
    rounds,
    tallies,
    tallyProblems,
    Math.round((performance.now() - started) / 1000),
  );
  const violations = [
    ...rounds.flatMap((r) => r.problems.map((p) => `round ${r.round}: ${p}`)),
    ...tallyProblems,
  ];
  if (values.json)
    fs.writeFileSync(
      values.json,
      `${JSON.stringify({ machine, load: os.loadavg(), ttl: TTL, monitors: MONITORS, rounds, failovers, tallies, violations }, null, 2)}\n`,
    );
  if (violations.length > 0) {
    console.error(`\nha-soak: ${violations.length} violation(s):\n  ${violations.join('\n  ')}`);
    exitCode = 1;
  } else console.log('\nha-soak: no violation');
} catch (error) {
  console.error('ha-soak: could not run:', error);
  exitCode = 2;
} finally {
  await cluster?.stop().catch((error: unknown) => console.error('ha-soak: stop failed', error));
  await children.stopAll(5_000);
  await receiver.close();
  await target.close();
  await postgres.stop();
}
process.exit(exitCode);
