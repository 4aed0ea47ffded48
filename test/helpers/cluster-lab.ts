// Cluster fixture for the netns tests: a lab (see netns.ts) whose hosts run the real CLI —
// `crosscheck init` on the coordinator, `join-token` / `join` for agents, `crosscheck agent` as the
// daemon of every node — each node with its own temporary data dir. Every CLI call runs inside the
// node's namespace, because a node's CLI finds its daemon through daemon.json and the daemon's API
// listens on that namespace's loopback.
//
//   const cluster = await bootCluster({ agents: [{ name: 'agent-a', region: 'eu' }], target: true });
//   t.after(() => cluster.cleanup());
//   const nodes = await cluster.nodeList();
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../src/lib/errors.ts';
import { waitFor } from './cli.ts';
import { createLab, startTargetServers } from './netns.ts';
import type { Lab, LabProcess } from './netns.ts';
import type { ClusterHealth, NodeView, StoredResult } from './cluster-views.ts';

export type { ClusterHealth, NodeDetail, NodeView, StoredResult } from './cluster-views.ts';

/** The peer port the coordinator listens on (mutual TLS). */
export const PEER_PORT = 7433;
/** Host name (and node name) of the coordinator in every cluster lab. */
export const COORDINATOR = 'coord';

const BIN = path.resolve(import.meta.dirname, '../../bin/crosscheck.js');
const DAEMON_READY_MS = 20_000;
const CLI_TIMEOUT_MS = 20_000;

/** One agent host to create (and, with bootCluster, enrol). */
export interface AgentSpec {
  name: string;
  region?: string;
  labels?: Record<string, string>;
}

/** What a cluster lab holds. */
export interface ClusterLabSpec {
  agents: AgentSpec[];
  /** Start the target servers (HTTP/TCP/DNS) in a host named `target`. */
  target?: boolean;
  /** More plain hosts (no daemon, nothing started), e.g. a second target. */
  extraHosts?: string[];
  /** `--region` of the coordinator at init (default none). */
  coordinatorRegion?: string;
  /** `--heartbeat-interval` for every daemon (default 1s). */
  heartbeat?: string;
  /** `--grace-count` for every daemon (default 3). */
  graceCount?: number;
  /** More flags for the coordinator's daemon only (coordinator-only flags, e.g. `--group-min`). */
  coordinatorFlags?: string[];
  /** Further hosts (of `extraHosts`) that run coordinators: their daemons get `coordinatorFlags` too. */
  coordinatorHosts?: string[];
}

/** A CLI run to completion; `code` is null when it was killed (timeout). */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A `crosscheck agent` daemon running in a host's namespace. */
export interface RunningNode {
  host: string;
  process: LabProcess;
  nodeId: string;
  apiUrl: string;
}

/** Target servers of the lab (when `target: true`). */
export type LabTarget = Awaited<ReturnType<typeof startTargetServers>>;

/** A lab plus the cluster verbs the tests use. */
export interface ClusterLab {
  lab: Lab;
  agents: readonly string[];
  target: LabTarget | undefined;
  /** "address:7433" of the coordinator inside the lab. */
  coordinatorAddress: string;
  dataDir(host: string): string;
  /** `crosscheck --data-dir <host's dir> …args` inside the host's namespace. */
  cli(host: string, args: string[], timeoutMs?: number): Promise<CliResult>;
  /** Like cli with `--json` appended; throws with the CLI's stderr unless it exits 0. */
  cliJson<T>(host: string, args: string[]): Promise<T>;
  /** `crosscheck init` on the coordinator's data dir; throws unless it exits 0. */
  init(): Promise<void>;
  /** `crosscheck join-token` on the coordinator (its daemon must run); returns the token. */
  joinToken(expires?: string): Promise<string>;
  /** `crosscheck join <token>` on an agent host with its name, region, labels and `extraArgs`. */
  join(host: string, token: string, extraArgs?: readonly string[]): Promise<CliResult>;
  /** Starts `crosscheck agent` on the host and waits for its daemon.json. */
  startNode(host: string): Promise<RunningNode>;
  /** Stops the host's daemon (SIGTERM by default) and returns its exit code. */
  stopNode(host: string, signal?: NodeJS.Signals): Promise<number | null>;
  /** The running daemon of a host; throws when none runs. */
  node(host: string): RunningNode;
  /** `node list --json`, asked on `host` (default the coordinator). */
  nodeList(host?: string): Promise<NodeView[]>;
  /** `health --json` of the host's own daemon. */
  health(host: string): Promise<ClusterHealth>;
  /** Adds an http monitor on the lab's target (1 s interval, 500 ms timeout) via the coordinator. */
  addTargetMonitor(name?: string): Promise<{ id: string }>;
  /** The coordinator's stored results of one monitor (last hour, up to 10,000). */
  history(monitorId: string): Promise<StoredResult[]>;
  /** Waits until the agent's health says it is connected to the coordinator. */
  waitConnected(host: string, timeoutMs?: number): Promise<void>;
  /** Stops everything and removes the data dirs; idempotent. */
  cleanup(): Promise<void>;
}

/** Creates the lab (coordinator, agents, optional target) and empty data dirs; nothing is enrolled. */
export async function createClusterLab(spec: ClusterLabSpec): Promise<ClusterLab> {
  const lab = await createLab([
    { name: COORDINATOR },
    ...spec.agents.map((agent) => ({
      name: agent.name,
      ...(agent.region === undefined ? {} : { region: agent.region }),
    })),
    ...(spec.target ? [{ name: 'target' }] : []),
    ...(spec.extraHosts ?? []).map((name) => ({ name })),
  ]);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `crosscheck-${lab.id}-`));
  const running = new Map<string, RunningNode>();
  const agentSpecs = new Map(spec.agents.map((agent) => [agent.name, agent]));
  const coordinatorHosts = new Set([COORDINATOR, ...(spec.coordinatorHosts ?? [])]);
  const coordinatorAddress = `${lab.host(COORDINATOR).address}:${PEER_PORT}`;
  const daemonFlags = [
    '--api-listen',
    '127.0.0.1:0',
    '--heartbeat-interval',
    spec.heartbeat ?? '1s',
    '--grace-count',
    String(spec.graceCount ?? 3),
    '--log-format',
    'json',
  ];
  let cleaned: Promise<void> | undefined;

  const cleanup = (): Promise<void> => {
    cleaned ??= (async () => {
      await lab.cleanup();
      fs.rmSync(root, { recursive: true, force: true });
    })();
    return cleaned;
  };

  let target: LabTarget | undefined;
  try {
    if (spec.target) target = await startTargetServers(lab, 'target');
  } catch (error) {
    await cleanup();
    throw error;
  }

  const dataDir = (host: string): string => {
    lab.host(host);
    return path.join(root, host);
  };

  const cli = async (host: string, args: string[], timeoutMs = CLI_TIMEOUT_MS) => {
    const result = await lab.exec(
      host,
      process.execPath,
      [BIN, '--data-dir', dataDir(host), ...args],
      { timeoutMs, env: { NO_COLOR: '1' } },
    );
    return { code: result.code, stdout: result.stdout, stderr: result.stderr };
  };

  const cliJson = async <T>(host: string, args: string[]): Promise<T> => {
    const result = await cli(host, [...args, '--json']);
    if (result.code !== 0)
      throw new AppError(
        'UNAVAILABLE',
        `[${host}] crosscheck ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`,
      );
    try {
      return JSON.parse(result.stdout) as T;
    } catch {
      throw new AppError(
        'INTERNAL',
        `[${host}] crosscheck ${args.join(' ')} printed no JSON: ${result.stdout.slice(0, 500)}`,
      );
    }
  };

  const node = (host: string): RunningNode => {
    const found = running.get(host);
    if (!found) throw new AppError('NOT_FOUND', `no daemon runs on ${host}`);
    return found;
  };

  const health = (host: string): Promise<ClusterHealth> => cliJson<ClusterHealth>(host, ['health']);

  const cluster: ClusterLab = {
    lab,
    agents: spec.agents.map((agent) => agent.name),
    target,
    coordinatorAddress,
    dataDir,
    cli,
    cliJson,
    async init() {
      const result = await cli(COORDINATOR, [
        'init',
        '--name',
        COORDINATOR,
        '--listen',
        coordinatorAddress,
        ...(spec.coordinatorRegion === undefined ? [] : ['--region', spec.coordinatorRegion]),
      ]);
      if (result.code !== 0)
        throw new AppError('UNAVAILABLE', `init exited ${result.code}: ${result.stderr.trim()}`);
    },
    async joinToken(expires) {
      const result = await cli(COORDINATOR, [
        'join-token',
        ...(expires === undefined ? [] : ['--expires', expires]),
      ]);
      const token = result.stdout.trim();
      if (result.code !== 0 || token === '' || token.includes('\n'))
        throw new AppError(
          'UNAVAILABLE',
          `join-token exited ${result.code} (stdout must be the token alone): ${result.stderr.trim()}`,
        );
      return token;
    },
    join(host, token, extraArgs = []) {
      const agent = agentSpecs.get(host);
      if (!agent) throw new AppError('NOT_FOUND', `${host} is not an agent of this lab`);
      const labels = Object.entries(agent.labels ?? {}).flatMap(([key, value]) => [
        '--label',
        `${key}=${value}`,
      ]);
      return cli(host, [
        'join',
        token,
        '--name',
        host,
        ...(agent.region === undefined ? [] : ['--region', agent.region]),
        ...labels,
        ...extraArgs,
      ]);
    },
    async startNode(host) {
      if (running.has(host)) throw new AppError('CONFLICT', `a daemon already runs on ${host}`);
      const child = lab.spawn(host, process.execPath, [
        BIN,
        '--data-dir',
        dataDir(host),
        'agent',
        ...daemonFlags,
        ...(coordinatorHosts.has(host) ? (spec.coordinatorFlags ?? []) : []),
      ]);
      const info = await waitForDaemonInfo(dataDir(host), child, host);
      const started: RunningNode = { host, process: child, ...info };
      running.set(host, started);
      void child.exited.then(() => {
        if (running.get(host) === started) running.delete(host);
      });
      return started;
    },
    async stopNode(host, signal = 'SIGTERM') {
      const { process: child } = node(host);
      running.delete(host);
      await child.kill(signal);
      return child.exited;
    },
    node,
    async nodeList(host = COORDINATOR) {
      return cliJson<NodeView[]>(host, ['node', 'list']);
    },
    health,
    async addTargetMonitor(name = 't') {
      if (!target) throw new AppError('UNAVAILABLE', 'this lab has no target (spec.target)');
      return cliJson<{ id: string }>(COORDINATOR, [
        'monitor',
        'add',
        '--name',
        name,
        '--type',
        'http',
        '--target',
        `http://${target.address}:${target.httpPort}/`,
        '--interval',
        '1s',
        '--timeout',
        '500ms',
      ]);
    },
    history(monitorId) {
      return cliJson<StoredResult[]>(COORDINATOR, [
        'history',
        '--monitor',
        monitorId,
        '--since',
        '1h',
        '--limit',
        '10000',
      ]);
    },
    async waitConnected(host, timeoutMs = 20_000) {
      await waitFor(
        async () => ((await health(host)).cluster?.coordinator?.connected ? true : undefined),
        timeoutMs,
        () => `${host} to connect to the coordinator`,
        250,
      );
    },
    cleanup,
  };
  return cluster;
}

/**
 * A working cluster: coordinator initialised and running, every agent joined with its own token
 * and running, all connected. Cleans the lab up itself if any step fails.
 */
export async function bootCluster(spec: ClusterLabSpec): Promise<ClusterLab> {
  const cluster = await createClusterLab(spec);
  try {
    await cluster.init();
    await cluster.startNode(COORDINATOR);
    for (const agent of cluster.agents) {
      const joined = await cluster.join(agent, await cluster.joinToken());
      if (joined.code !== 0)
        throw new AppError(
          'UNAVAILABLE',
          `join of ${agent} exited ${joined.code}: ${joined.stderr}`,
        );
    }
    await Promise.all(cluster.agents.map((agent) => cluster.startNode(agent)));
    await Promise.all(cluster.agents.map((agent) => cluster.waitConnected(agent)));
    return cluster;
  } catch (error) {
    await cluster.cleanup();
    throw error;
  }
}

/** The output of every daemon of the cluster, for an assertion message when a test fails. */
export function daemonLogs(cluster: ClusterLab, maxChars = 4000): string {
  const parts: string[] = [];
  for (const host of [COORDINATOR, ...cluster.agents]) {
    try {
      const { process: child } = cluster.node(host);
      const text = child.stdout() + child.stderr();
      parts.push(`--- ${host} ---\n${text.slice(Math.max(0, text.length - maxChars))}`);
    } catch {
      parts.push(`--- ${host} --- (not running)`);
    }
  }
  return parts.join('\n');
}

/** Waits until daemon.json names the child's pid (a stale file from a previous run is ignored). */
async function waitForDaemonInfo(
  dataDir: string,
  child: LabProcess,
  host: string,
): Promise<{ nodeId: string; apiUrl: string }> {
  const file = path.join(dataDir, 'daemon.json');
  let exitCode: number | null | 'running' = 'running';
  void child.exited.then((code) => (exitCode = code));
  return waitFor(
    () => {
      if (exitCode !== 'running')
        throw new AppError(
          'UNAVAILABLE',
          `crosscheck agent on ${host} exited ${exitCode}: ${child.stderr().slice(-2000)}${child.stdout().slice(-2000)}`,
        );
      try {
        const info = JSON.parse(fs.readFileSync(file, 'utf8')) as {
          pid?: number;
          apiUrl?: string;
          nodeId?: string;
        };
        // `ip netns exec` execs the command, so the daemon's pid is the spawned pid.
        if (info.pid !== child.pid || !info.apiUrl || !info.nodeId) return undefined;
        return { nodeId: info.nodeId, apiUrl: info.apiUrl };
      } catch {
        return undefined;
      }
    },
    DAEMON_READY_MS,
    () => `daemon.json of ${host}: ${child.stderr().slice(-2000)}`,
    100,
  );
}
