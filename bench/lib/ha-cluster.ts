/**
 * A highly available Crosscheck cluster on loopback, built with the product's CLI the way a user
 * would (docs/cluster.md "Adding a coordinator"): a throwaway PostgreSQL cluster, `init
 * --database-url` for the first coordinator, `join-token --coordinator` + `coordinator join` for
 * the others, `join-token` + `join` for the agents, then `crosscheck start` for every node.
 * Every port is probed free and then fixed (peer and API), so a coordinator killed and started
 * again comes back on the addresses agents and the lease row already know. Every process goes
 * through `ChildProcesses` (stopped by pid); every wait is bounded.
 */
import net from 'node:net';
import path from 'node:path';
import type { TestPostgres } from '../../test/helpers/postgres-server.ts';
import { createTestDatabase, postgresUrl } from '../../test/helpers/postgres-server.ts';
import type { BenchChild, ChildProcesses } from './child-processes.ts';
import type { BenchApi } from './daemon-process.ts';
import { BIN, profileArgs, waitForDaemonApi } from './daemon-process.ts';
import { apiJson, runCli } from './loopback-cluster.ts';
import { sleep } from './time-bounds.ts';

const DAEMON_READY_MS = 180_000;

/** A node of the cluster: its data dir, fixed API port and, while it runs, its process. */
export interface HaNode {
  name: string;
  role: 'coordinator' | 'agent';
  dataDir: string;
  apiUrl: string;
  child: BenchChild | null;
}

/** What the cluster's health answer carries that the bench reads. */
export interface HaHealth {
  cluster: {
    nodeId: string;
    role: 'coordinator' | 'agent';
    lease?: { leading: boolean; holder: { nodeId: string; epoch: number } | null };
    resultsProduced?: number;
    outbox?: { backlog: number };
    coordinator?: { connected: boolean };
  } | null;
}

/** Options of `startHaCluster`. */
export interface HaClusterSpec {
  coordinators: number;
  agents: number;
  /** `--lease-ttl` for every coordinator, e.g. `10s`. */
  leaseTtl: string;
  /** Extra `crosscheck start` flags for the coordinators (e.g. `--group-min 0`). */
  coordinatorArgs?: string[];
}

/** The running cluster. */
export interface HaCluster {
  databaseUrl: string;
  coordinators: HaNode[];
  agents: HaNode[];
  /** Starts (again) a coordinator or agent whose process is not running; bounded. */
  start(node: HaNode): Promise<void>;
  /** `kill -9`: returns the epoch ms the signal was sent, once the process is gone. */
  kill(node: HaNode): Promise<number>;
  /** GET /api/v1/health of a running node (short timeout: it is polled every 100 ms). */
  health(node: HaNode, timeoutMs?: number): Promise<HaHealth>;
  /** `crosscheck --data-dir <node> …args`; throws unless it exits 0; returns stdout. */
  cli(node: HaNode, args: string[]): Promise<string>;
  /** The running coordinator that holds the lease now, if one says so. */
  leader(): Promise<HaNode | undefined>;
  /** Stops every process (agents first) by pid and drops the database. */
  stop(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 now (bound a moment later by a daemon). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The node's API with its data dir (for the bearer token), as `apiJson` wants it. */
export function apiOf(node: HaNode): BenchApi {
  return { apiUrl: node.apiUrl, dataDir: node.dataDir };
}

/** Builds and starts the cluster on `postgres`; stops what it started when a step fails. */
export async function startHaCluster(
  children: ChildProcesses,
  workDir: string,
  postgres: TestPostgres,
  spec: HaClusterSpec,
): Promise<HaCluster> {
  const database = await createTestDatabase(postgres, 'bench_ha');
  const databaseUrl = `${postgresUrl(postgres, 'bench_ha')}?sslmode=disable`;
  const cliLog = path.join(workDir, 'cli.log');
  const cli = (node: HaNode, args: string[]): Promise<string> =>
    runCli(children, ['--data-dir', node.dataDir, ...args], cliLog, 60_000);
  const coordinators: HaNode[] = [];
  const agents: HaNode[] = [];

  const newNode = async (name: string, role: HaNode['role']): Promise<HaNode> => ({
    name,
    role,
    dataDir: path.join(workDir, `node-${name}`),
    apiUrl: `http://127.0.0.1:${await freeLoopbackPort()}`,
    child: null,
  });

  const start = async (node: HaNode): Promise<void> => {
    if (node.child) throw new Error(`${node.name} is already running`);
    const child = children.spawnNode({
      name: `crosscheck ${node.role} ${node.name}`,
      args: [
        BIN,
        '--data-dir',
        node.dataDir,
        'start',
        '--api-listen',
        node.apiUrl.replace('http://', ''),
        '--log-level',
        'warn',
        '--log-format',
        'json',
        ...(node.role === 'coordinator'
          ? ['--lease-ttl', spec.leaseTtl, ...(spec.coordinatorArgs ?? [])]
          : []),
      ],
      logFile: `${node.dataDir}.log`,
      nodeArgs: profileArgs(),
    });
    node.child = child;
    void child.exited.then(() => {
      if (node.child === child) node.child = null;
    });
    await waitForDaemonApi(children, child, node.dataDir, DAEMON_READY_MS);
  };

  const health = async (node: HaNode, timeoutMs = 2_000): Promise<HaHealth> => {
    const api = apiOf(node);
    return withApiTimeout(apiJson<HaHealth>(api, 'GET', '/api/v1/health'), timeoutMs);
  };

  const cluster: HaCluster = {
    databaseUrl,
    coordinators,
    agents,
    start,
    async kill(node) {
      const child = node.child;
      if (!child) throw new Error(`${node.name} is not running`);
      const at = Date.now();
      process.kill(child.pid, 'SIGKILL');
      await child.exited;
      node.child = null;
      return at;
    },
    health,
    cli,
    async leader() {
      const running = coordinators.filter((node) => node.child);
      const answers = await Promise.all(
        running.map((node) =>
          health(node).then(
            (h) => ({ node, h }),
            () => undefined,
          ),
        ),
      );
      return answers.find((a) => a?.h.cluster?.lease?.leading === true)?.node;
    },
    async stop() {
      for (const node of [...agents, ...coordinators])
        if (node.child) await children.stop(node.child);
      await database.drop();
    },
  };

  try {
    const first = await newNode('coord-1', 'coordinator');
    const peer = async (): Promise<string> => `127.0.0.1:${await freeLoopbackPort()}`;
    await cli(first, [
      'init',
      '--name',
      first.name,
      '--region',
      'r1',
      '--database-url',
      databaseUrl,
      '--listen',
      await peer(),
    ]);
    coordinators.push(first);
    await start(first);
    for (let n = 2; n <= spec.coordinators; n++) {
      const node = await newNode(`coord-${n}`, 'coordinator');
      const token = (await cli(first, ['join-token', '--coordinator', '--expires', '10m'])).trim();
      await cli(node, [
        'coordinator',
        'join',
        token,
        '--database-url',
        databaseUrl,
        '--name',
        node.name,
        '--region',
        `r${n}`,
        '--peer-listen',
        await peer(),
      ]);
      coordinators.push(node);
      await start(node);
    }
    for (let n = 1; n <= spec.agents; n++) {
      const node = await newNode(`agent-${n}`, 'agent');
      const token = (await cli(first, ['join-token', '--expires', '10m'])).trim();
      await cli(node, ['join', token, '--name', node.name, '--region', `r${n}`]);
      agents.push(node);
    }
    await Promise.all(agents.map((node) => start(node)));
    await waitAgentsConnected(cluster);
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/** Polls every agent's health (bounded) until each says its coordinator channel is up. */
export async function waitAgentsConnected(cluster: HaCluster, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const states = await Promise.all(
      cluster.agents.map((node) =>
        cluster.health(node).then(
          (h) => h.cluster?.coordinator?.connected === true,
          () => false,
        ),
      ),
    );
    if (states.every(Boolean)) return;
    await sleep(200);
  }
  throw new Error(`agents not all connected to a coordinator within ${timeoutMs} ms`);
}

function withApiTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`API did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
