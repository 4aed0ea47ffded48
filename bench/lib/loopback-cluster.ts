/**
 * A real Crosscheck cluster on loopback, built with the product's own CLI the way a user would:
 * `crosscheck init` (coordinator), `join-token` + `join` per agent, then `crosscheck agent` for
 * every node, each with its own data dir, peer and API ports on 127.0.0.1 only. Every process
 * (the one-shot CLI calls too) goes through `ChildProcesses`, so it is stopped by pid on error
 * and on Ctrl-C; every wait is bounded.
 */
import path from 'node:path';
import type { BenchChild, ChildProcesses } from './child-processes.ts';
import { benchAuthHeaders, BIN, profileArgs, waitForDaemonApi } from './daemon-process.ts';
import type { BenchApi } from './daemon-process.ts';
import { sleep } from './time-bounds.ts';

const CLI_TIMEOUT_MS = 30_000;
const DAEMON_READY_MS = 60_000;

/** One node to create: its name and region. */
export interface NodeSpec {
  name: string;
  region: string;
}

/** A running `crosscheck agent` daemon of the cluster. */
export interface ClusterNodeProcess extends NodeSpec {
  dataDir: string;
  child: BenchChild;
  apiUrl: string;
}

/** The coordinator and its agents, all running and online. */
export interface LoopbackCluster {
  coordinator: ClusterNodeProcess;
  agents: ClusterNodeProcess[];
  /** Node id by node name, as the coordinator lists them. */
  nodeIds: Map<string, string>;
  /** `crosscheck --data-dir <coordinator> …args`; throws unless it exits 0; returns stdout. */
  cli(args: string[]): Promise<string>;
  /** Stops every daemon (agents first) by pid. */
  stop(): Promise<void>;
}

/** Runs one CLI command to completion (bounded); throws with its log unless it exits 0. */
export async function runCli(
  children: ChildProcesses,
  args: string[],
  logFile: string,
  timeoutMs = CLI_TIMEOUT_MS,
): Promise<string> {
  const child = children.spawnNode({
    name: 'crosscheck cli',
    args: [BIN, ...args],
    logFile,
    readStdout: true,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const chunks: Buffer[] = [];
  child.process.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const timer = setTimeout(() => void children.stop(child, 2_000), timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  const stdout = Buffer.concat(chunks).toString('utf8');
  if (code !== 0) {
    const shown = args.map((a) => (a.startsWith('cc1.') ? '<token>' : a)).join(' ');
    throw new Error(`crosscheck ${shown} exited ${code} (see ${logFile}): ${stdout.slice(0, 500)}`);
  }
  return stdout;
}

/** GET/POST/DELETE on a node's API with a timeout; throws on a non-2xx answer. */
export async function apiJson<T>(
  api: BenchApi,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${api.apiUrl}${urlPath}`, {
    method,
    signal: AbortSignal.timeout(10_000),
    headers: {
      ...benchAuthHeaders(api.dataDir),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${urlPath}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/**
 * Initialises the coordinator, enrols every agent with a token of its own, starts all the
 * daemons and waits until the coordinator lists every node online. Stops what it started when
 * a step fails.
 */
export async function startLoopbackCluster(
  children: ChildProcesses,
  workDir: string,
  spec: { coordinator: NodeSpec; agents: NodeSpec[]; daemonArgs?: string[] },
): Promise<LoopbackCluster> {
  const dirOf = (name: string): string => path.join(workDir, `node-${name}`);
  const cliLog = path.join(workDir, 'cli.log');
  const cli = (dataDir: string, args: string[]): Promise<string> =>
    runCli(children, ['--data-dir', dataDir, ...args], cliLog);
  const started: ClusterNodeProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const node of started.toReversed()) await children.stop(node.child);
  };

  const startNode = async (node: NodeSpec): Promise<ClusterNodeProcess> => {
    const dataDir = dirOf(node.name);
    const child = children.spawnNode({
      name: `crosscheck agent ${node.name}`,
      args: [
        BIN,
        '--data-dir',
        dataDir,
        'agent',
        '--api-listen',
        '127.0.0.1:0',
        '--log-level',
        'warn',
        '--log-format',
        'json',
        ...(spec.daemonArgs ?? []),
      ],
      logFile: `${dataDir}.log`,
      nodeArgs: profileArgs(),
    });
    const apiUrl = await waitForDaemonApi(children, child, dataDir, DAEMON_READY_MS);
    const running = { ...node, dataDir, child, apiUrl };
    started.push(running);
    return running;
  };

  try {
    const coordinatorDir = dirOf(spec.coordinator.name);
    await cli(coordinatorDir, [
      'init',
      '--name',
      spec.coordinator.name,
      '--region',
      spec.coordinator.region,
      '--listen',
      '127.0.0.1:0',
    ]);
    const coordinator = await startNode(spec.coordinator);
    for (const agent of spec.agents) {
      // The token names the coordinator's actual peer address, so it is made while it runs.
      const token = (await cli(coordinatorDir, ['join-token', '--expires', '10m'])).trim();
      await cli(dirOf(agent.name), ['join', token, '--name', agent.name, '--region', agent.region]);
    }
    const agents = await Promise.all(spec.agents.map((agent) => startNode(agent)));
    const nodeIds = await waitAllOnline(coordinator, spec.agents.length + 1);
    return {
      coordinator,
      agents,
      nodeIds,
      cli: (args) => cli(coordinatorDir, args),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface ListedNode {
  id: string;
  name: string;
  state: string;
}

/** Polls the coordinator's node list (bounded) until `count` nodes are online. */
async function waitAllOnline(api: BenchApi, count: number): Promise<Map<string, string>> {
  const deadline = Date.now() + DAEMON_READY_MS;
  let last: ListedNode[] = [];
  while (Date.now() < deadline) {
    last = (await apiJson<{ items: ListedNode[] }>(api, 'GET', '/api/v1/nodes')).items;
    if (last.filter((node) => node.state === 'online').length >= count)
      return new Map(last.map((node) => [node.name, node.id]));
    await sleep(200);
  }
  const states = last.map((node) => `${node.name}=${node.state}`).join(', ');
  throw new Error(`cluster: ${count} nodes not online within ${DAEMON_READY_MS} ms (${states})`);
}
