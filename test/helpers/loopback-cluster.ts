import fs from 'node:fs';
import type { CheckRunner } from '../../src/agent/check-runner.ts';
import type { ApiClient } from '../../src/cli/api-client.ts';
import { initCoordinator, joinCluster } from '../../src/app/cluster-setup.ts';
import { startNode } from '../../src/app/node.ts';
import type { RunningNode } from '../../src/app/node.ts';
import { loadNodeConfig } from '../../src/config/node-config.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import type { HealthView } from '../../src/services/health-service.ts';
import { tempDataDir, waitFor } from './cli.ts';
import { localApi } from './local-api.ts';

/** In-process nodes on loopback with fast heartbeats, for cluster integration tests. */
export interface LoopbackCluster {
  /** A fresh data dir, removed by `cleanup`. */
  dir(): string;
  /** Initialises a coordinator (peer port chosen by the OS) and runs it. */
  startCoordinator(
    name: string,
    region: string | null,
    seams?: NodeSeams,
  ): Promise<{ dataDir: string; node: RunningNode; api: ApiClient; peerPort: number }>;
  /** Runs the node of a data dir (`peerPort` pins a coordinator's port across restarts). */
  run(
    dataDir: string,
    peerPort?: number,
    seams?: NodeSeams,
  ): Promise<{ node: RunningNode; api: ApiClient }>;
  /** Joins a new agent through `coordinator`, runs it and waits until its channel is up. */
  joinAgent(
    coordinator: ApiClient,
    name: string,
    region: string | null,
    seams?: NodeSeams,
  ): Promise<{ dataDir: string; node: RunningNode; api: ApiClient }>;
  stop(node: RunningNode): Promise<void>;
  /** Stops every node still running (newest first) and removes the data dirs. */
  cleanup(): Promise<void>;
}

/** What a test may swap in a node: its check runner (e.g. one whose icmp has no ping). */
export interface NodeSeams {
  runCheck?: CheckRunner;
}

/** Builds the cluster; `graceCount` heartbeats (200 ms unless given) make a node missing. */
export function loopbackCluster(options: {
  graceCount: number;
  heartbeatMs?: number;
  /** `--check-threads` of every node (the default, auto, starts none below 2,000 monitors). */
  checkThreads?: string;
}): LoopbackCluster {
  const heartbeatInterval = `${options.heartbeatMs ?? 200}ms`;
  const logger = silentLogger();
  const dirs: string[] = [];
  const running: RunningNode[] = [];

  function dir(): string {
    const d = tempDataDir();
    dirs.push(d);
    return d;
  }

  async function run(dataDir: string, peerPort?: number, seams: NodeSeams = {}) {
    const config = loadNodeConfig(
      {
        dataDir,
        apiListen: '127.0.0.1:0',
        heartbeatInterval,
        graceCount: String(options.graceCount),
        ...(options.checkThreads === undefined ? {} : { checkThreads: options.checkThreads }),
        ...(peerPort === undefined ? {} : { listen: `127.0.0.1:${peerPort}` }),
      },
      {},
    );
    const node = await startNode({ config, logger, ...seams });
    running.push(node);
    return { node, api: localApi(dataDir, node.apiUrl) };
  }

  return {
    dir,
    run,
    async startCoordinator(name, region, seams) {
      const dataDir = dir();
      await initCoordinator({
        dataDir,
        name,
        listen: '127.0.0.1:0',
        advertise: null,
        region,
        labels: {},
        logger,
      });
      const started = await run(dataDir, undefined, seams);
      const info = JSON.parse(fs.readFileSync(`${dataDir}/daemon.json`, 'utf8')) as {
        peerAddress: string;
      };
      return { dataDir, ...started, peerPort: Number(info.peerAddress.split(':').at(-1)) };
    },
    async joinAgent(coordinator, name, region, seams) {
      const { token } = await coordinator.request<{ token: string }>(
        'POST',
        '/api/v1/cluster/join-tokens',
        { expires: '10m' },
      );
      const dataDir = dir();
      await joinCluster({ dataDir, token, name, region, labels: {} });
      const started = await run(dataDir, undefined, seams);
      await waitFor(
        async () => {
          const health = await started.api.request<HealthView>('GET', '/api/v1/health');
          return health.cluster?.coordinator?.connected ? true : undefined;
        },
        10_000,
        () => `agent ${name} connected`,
      );
      return { dataDir, ...started };
    },
    async stop(node) {
      await node.stop();
      running.splice(running.indexOf(node), 1);
    },
    async cleanup() {
      for (const node of [...running].reverse()) await node.stop();
      running.length = 0;
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}
