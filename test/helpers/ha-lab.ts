// The high-availability lab (issue #17) on top of cluster-lab.ts: three coordinators in their own
// namespaces sharing one PostgreSQL server that runs in a fourth (netns-postgres.ts), three agents,
// a target, and a webhook receiver in a namespace of its own listening on its lab address, so
// whichever coordinator leads can page it. Every daemon is a real `crosscheck agent` process.
//
//   const ha = await bootHaLab();
//   after(() => ha.cleanup());
//   const leader = await ha.waitLeader();
//   await ha.cluster.stopNode(leader, 'SIGKILL');
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../src/lib/errors.ts';
import { waitFor } from './cli.ts';
import { COORDINATOR, createClusterLab, PEER_PORT } from './cluster-lab.ts';
import type { ClusterLab, LabTarget, StoredResult } from './cluster-lab.ts';
import type { IncidentView } from './cluster-views.ts';
import { startTargetServers } from './netns.ts';
import { startLabPostgres } from './netns-postgres.ts';
import type { LabPostgres } from './netns-postgres.ts';
import { startLabWebhooks } from './netns-webhooks.ts';
import type { LabWebhooks } from './netns-webhooks.ts';

/** The coordinators' hosts; `coord` is initialised first, the others join it. */
export const COORDINATORS = [COORDINATOR, 'coord-2', 'coord-3'] as const;
export const AGENT_HOSTS = ['agent-1', 'agent-2', 'agent-3'] as const;
/** `--lease-ttl` of every coordinator. */
export const LEASE_TTL_MS = 3_000;
const DB_HOST = 'pg';
const HOOKS_HOST = 'hooks';

/** `crosscheck health --json` on a coordinator (the part these tests read). */
export interface CoordinatorHealth {
  cluster?: {
    role: string;
    nodeId: string;
    lease?: { leading: boolean; holder: { nodeId: string; epoch: number; since: number } | null };
  };
}

/** The lab and the verbs the failover scenarios use. */
export interface HaLab {
  cluster: ClusterLab;
  db: LabPostgres;
  hooks: LabWebhooks;
  /** Node id by host name (coordinators and agents). */
  nodeIds: Readonly<Record<string, string>>;
  /** Host name by node id. */
  hostOf(nodeId: string): string;
  /** Coordinator hosts whose daemon runs now. */
  runningCoordinators(): string[];
  /** A running coordinator other than `except`, to ask the CLI on. */
  anyCoordinator(except?: string): string;
  /** Health of a coordinator; undefined when its CLI/API does not answer. */
  coordinatorHealth(host: string): Promise<CoordinatorHealth | undefined>;
  /**
   * The one running coordinator (of `among`, default all) whose health says it leads, once exactly
   * one does and it is not `not`; throws after `timeoutMs`.
   */
  waitLeader(options?: {
    not?: string;
    among?: readonly string[];
    timeoutMs?: number;
  }): Promise<string>;
  /** Starts a stopped coordinator again (it comes back as a follower while another leads). */
  restartCoordinator(host: string): Promise<void>;
  /** Adds an http monitor on the target (1 s interval and timeout, threshold 2) paging `/path`. */
  addMonitor(name: string, webhookPath: string): Promise<{ id: string }>;
  history(monitorId: string): Promise<StoredResult[]>;
  incidents(monitorId: string): Promise<IncidentView[]>;
  stopTarget(): Promise<void>;
  startTarget(): Promise<void>;
  /** Lifts every database cut, starts the target and any stopped coordinator again. */
  heal(): Promise<void>;
  /** Every agent connected (to whichever coordinator it found leading). */
  waitAgentsConnected(timeoutMs?: number): Promise<void>;
  /** Daemon logs, the database log's tail and the received webhooks, for assertion messages. */
  diagnostics(): string;
  cleanup(): Promise<void>;
}

/** Boots the whole lab; cleans up after itself when a step fails. */
export async function bootHaLab(): Promise<HaLab> {
  const cluster = await createClusterLab({
    agents: AGENT_HOSTS.map((name, i) => ({ name, region: i < 2 ? 'eu-west' : 'us-east' })),
    target: true,
    extraHosts: [...COORDINATORS.slice(1), DB_HOST, HOOKS_HOST],
    coordinatorHosts: [...COORDINATORS.slice(1)],
    coordinatorRegion: 'us-east',
    heartbeat: '1s',
    // Generous: a failover must not look like a missing node, and a loaded 2-core runner must
    // not either; what is under test is that the failover causes none.
    graceCount: 5,
    coordinatorFlags: ['--lease-ttl', `${LEASE_TTL_MS / 1000}s`, '--group-min', '0'],
  });
  let db: LabPostgres | undefined;
  const cleanup = async (): Promise<void> => {
    keepLogs(cluster);
    // Daemons first (they hold sessions), then the server: the lab's cleanup would SIGKILL it.
    await Promise.allSettled(
      [...COORDINATORS, ...AGENT_HOSTS].map((host) =>
        cluster.stopNode(host, 'SIGKILL').catch(() => undefined),
      ),
    );
    await db?.stop();
    await cluster.cleanup();
  };
  try {
    db = await startLabPostgres(cluster.lab, DB_HOST);
    await setUpCoordinators(cluster, db.url);
    const hooks = await startLabWebhooks(cluster.lab, HOOKS_HOST, { onLabAddress: true });
    await expectOk(cluster, COORDINATOR, ['node', 'alerts', '--webhook', hooks.url('/node')]);
    for (const agent of AGENT_HOSTS) {
      const joined = await cluster.join(agent, await cluster.joinToken());
      if (joined.code !== 0)
        throw new AppError(
          'UNAVAILABLE',
          `join of ${agent} exited ${joined.code}: ${joined.stderr}`,
        );
    }
    await Promise.all(AGENT_HOSTS.map((agent) => cluster.startNode(agent)));
    await Promise.all(AGENT_HOSTS.map((agent) => cluster.waitConnected(agent)));
    return haLab(cluster, db, hooks, cleanup);
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** init on PostgreSQL, start, then `join-token --coordinator` + `coordinator join` for the others. */
async function setUpCoordinators(cluster: ClusterLab, databaseUrl: string): Promise<void> {
  await expectOk(cluster, COORDINATOR, [
    'init',
    '--name',
    COORDINATOR,
    '--region',
    'us-east',
    '--listen',
    cluster.coordinatorAddress,
    '--database-url',
    databaseUrl,
  ]);
  await cluster.startNode(COORDINATOR);
  for (const host of COORDINATORS.slice(1)) {
    const token = (await expectOk(cluster, COORDINATOR, ['join-token', '--coordinator'])).trim();
    await expectOk(cluster, host, [
      'coordinator',
      'join',
      token,
      '--database-url',
      databaseUrl,
      '--name',
      host,
      '--region',
      'eu-west',
      '--listen',
      `${cluster.lab.host(host).address}:${PEER_PORT}`,
    ]);
    await cluster.startNode(host);
  }
}

function haLab(
  cluster: ClusterLab,
  db: LabPostgres,
  hooks: LabWebhooks,
  cleanup: () => Promise<void>,
): HaLab {
  const nodeIds: Record<string, string> = {};
  for (const host of [...COORDINATORS, ...AGENT_HOSTS]) nodeIds[host] = cluster.node(host).nodeId;
  let target: LabTarget | undefined = cluster.target;
  const running = (host: string): boolean => {
    try {
      cluster.node(host);
      return true;
    } catch {
      return false;
    }
  };
  const runningCoordinators = () => COORDINATORS.filter(running);
  const anyCoordinator = (except?: string): string => {
    const found = runningCoordinators().find((host) => host !== except);
    if (found === undefined) throw new AppError('UNAVAILABLE', 'no coordinator runs');
    return found;
  };
  const coordinatorHealth = async (host: string) => {
    const result = await cluster.cli(host, ['health', '--json'], 10_000);
    if (result.code !== 0) return undefined;
    try {
      return JSON.parse(result.stdout) as CoordinatorHealth;
    } catch {
      return undefined;
    }
  };

  const lab: HaLab = {
    cluster,
    db,
    hooks,
    nodeIds,
    hostOf(nodeId) {
      const host = Object.entries(nodeIds).find(([, id]) => id === nodeId)?.[0];
      if (host === undefined) throw new AppError('NOT_FOUND', `no host has node id ${nodeId}`);
      return host;
    },
    runningCoordinators,
    anyCoordinator,
    coordinatorHealth,
    async waitLeader({ not, among, timeoutMs = 30_000 } = {}) {
      return waitFor(
        async () => {
          const hosts = runningCoordinators().filter((host) => among?.includes(host) ?? true);
          const healths = await Promise.all(hosts.map(coordinatorHealth));
          const leading = hosts.filter((_, i) => healths[i]?.cluster?.lease?.leading === true);
          return leading.length === 1 && leading[0] !== not ? leading[0] : undefined;
        },
        timeoutMs,
        () => `exactly one leader${not === undefined ? '' : ` other than ${not}`}`,
        200,
      );
    },
    async restartCoordinator(host) {
      await cluster.startNode(host);
    },
    addMonitor: (name, webhookPath) =>
      cluster.cliJson<{ id: string }>(anyCoordinator(), [
        'monitor',
        'add',
        '--name',
        name,
        '--type',
        'http',
        '--target',
        `http://${requireTarget(target).address}:${requireTarget(target).httpPort}/`,
        '--interval',
        '1s',
        '--timeout',
        '1s',
        '--failure-threshold',
        '2',
        '--webhook',
        hooks.url(webhookPath),
      ]),
    history: (monitorId) =>
      cluster.cliJson<StoredResult[]>(anyCoordinator(), [
        'history',
        '--monitor',
        monitorId,
        '--since',
        '1h',
        '--limit',
        '10000',
      ]),
    incidents: (monitorId) =>
      cluster.cliJson<IncidentView[]>(anyCoordinator(), ['incidents', '--monitor', monitorId]),
    async stopTarget() {
      await requireTarget(target).process.kill('SIGTERM');
      target = undefined;
    },
    async startTarget() {
      if (target !== undefined) throw new AppError('CONFLICT', 'the target already runs');
      // The same port as at boot: the monitor's URL names it.
      const first = requireTarget(cluster.target);
      target = await startTargetServers(cluster.lab, 'target', { httpPort: first.httpPort });
    },
    async heal() {
      for (const host of COORDINATORS) await cluster.lab.unblock(host, DB_HOST);
      if (target === undefined) await lab.startTarget();
      for (const host of COORDINATORS) if (!running(host)) await cluster.startNode(host);
      await lab.waitAgentsConnected();
    },
    async waitAgentsConnected(timeoutMs = 30_000) {
      await Promise.all(AGENT_HOSTS.map((agent) => cluster.waitConnected(agent, timeoutMs)));
    },
    diagnostics() {
      const parts = [...COORDINATORS, ...AGENT_HOSTS].map((host) => {
        if (!running(host)) return `--- ${host} --- (not running)`;
        const child = cluster.node(host).process;
        const text = child.stderr() + child.stdout();
        return `--- ${host} ---\n${text.slice(Math.max(0, text.length - 5000))}`;
      });
      const received = hooks
        .requests()
        .map(
          (r) =>
            `${new Date(r.receivedAt).toISOString()} ${r.path} ${String(r.headers['x-crosscheck-event'])} ${String(r.headers['x-crosscheck-idempotency-key'])}`,
        );
      const dbLog = db.log();
      return `${parts.join('\n')}\n--- postgres ---\n${dbLog.slice(-2000)}\n--- webhooks ---\n${received.join('\n')}`;
    },
    cleanup,
  };
  return lab;
}

/**
 * With CROSSCHECK_LAB_LOG_DIR set, writes every running daemon's whole output there (the
 * assertion messages carry only their tails), for a failure to be read afterwards.
 */
function keepLogs(cluster: ClusterLab): void {
  const dir = process.env.CROSSCHECK_LAB_LOG_DIR;
  if (dir === undefined || dir === '') return;
  fs.mkdirSync(dir, { recursive: true });
  for (const host of [...COORDINATORS, ...AGENT_HOSTS]) {
    try {
      const child = cluster.node(host).process;
      fs.writeFileSync(
        path.join(dir, `${cluster.lab.id}-${host}.log`),
        child.stderr() + child.stdout(),
      );
    } catch {
      // Not running: its output went with it.
    }
  }
}

function requireTarget(target: LabTarget | undefined): LabTarget {
  if (target === undefined) throw new AppError('UNAVAILABLE', 'the target is stopped');
  return target;
}

async function expectOk(cluster: ClusterLab, host: string, args: string[]): Promise<string> {
  const result = await cluster.cli(host, args, 30_000);
  if (result.code !== 0)
    throw new AppError(
      'UNAVAILABLE',
      `[${host}] crosscheck ${args[0] ?? ''} ${args[1] ?? ''} exited ${result.code}: ${result.stderr.trim()}`,
    );
  return result.stdout;
}
