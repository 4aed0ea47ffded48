import fs from 'node:fs';
import { dataDirPaths, ensureDataDir } from '../config/data-dir.ts';
import type { NodeConfig } from '../config/node-config.ts';
import type { DatabaseChoice } from '../config/database-config.ts';
import { resolveDatabase } from '../config/database-config.ts';
import { readNodeIdentity } from '../config/node-identity.ts';
import { runCheck as registryRunCheck } from '../agent/check-runner.ts';
import type { CheckRunner } from '../agent/check-runner.ts';
import { createPatternPool } from '../checks/patterns/pool.ts';
import type { PatternPool } from '../checks/patterns/pool.ts';
import { createBrowserPool } from '../checks/browser/pool.ts';
import type { BrowserPool } from '../checks/browser/pool.ts';
import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import { AppError, isStorageFull, storageFullError } from '../lib/errors.ts';
import type { Logger } from '../observability/logger.ts';
import { acquireDaemonLock } from './daemon-lock.ts';
import { assertRoomToStart } from './storage-full.ts';
import type { ConfigFileOptions } from './config-file-watch.ts';
import type { NodeContext, RunningNode } from './node-context.ts';

export type { RunningNode } from './node-context.ts';

export interface StartNodeOptions {
  config: NodeConfig;
  logger: Logger;
  clock?: Clock;
  /** Test seam: runs the node's checks and canaries (the registry's runner by default). */
  runCheck?: CheckRunner;
  /** `start --config`: applied at start (problems refuse the start) and on change. */
  configFile?: ConfigFileOptions;
  /** The coordinator's database, already resolved by the CLI; else resolved from `config`. */
  database?: DatabaseChoice;
}

/** Runs this data dir's node (coordinator or agent, as `init`/`join` made it) until `stop`. */
export async function startNode(options: StartNodeOptions): Promise<RunningNode> {
  const { config } = options;
  const paths = dataDirPaths(config.dataDir);
  ensureDataDir(config.dataDir);
  assertRoomToStart(config.dataDir);
  const identity = readNodeIdentity(paths.nodeIdentity);
  if (identity === undefined) {
    throw new AppError(
      'UNAVAILABLE',
      `${config.dataDir} is not set up yet: run \`crosscheck init\` (coordinator), \`crosscheck join <token>\` (agent), or \`crosscheck start\` (single node)`,
    );
  }
  const lock = acquireDaemonLock(paths.lock);
  const patterns = createPatternPool({
    onWorkerFailure: (reason) => options.logger.error({ reason }, 'pattern worker failed'),
  });
  // One Chromium for the node's browser checks, started by the first one; closed on the way out
  // so no browser process outlives the node.
  const browsers = createBrowserPool({
    chromiumPath: config.browser.chromiumPath ?? undefined,
    concurrency: config.browser.concurrency,
  });
  const ctx: NodeContext = {
    config,
    identity,
    logger: options.logger,
    clock: options.clock ?? systemClock,
    paths,
    runCheck: withNodePools(options.runCheck ?? registryRunCheck, patterns, browsers),
    checkThreadsAllowed: options.runCheck === undefined && options.clock === undefined,
    database:
      identity.role === 'coordinator'
        ? (options.database ?? resolveDatabase(config.dataDir, config.database))
        : undefined,
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
    cleanups: [() => lock.release(), () => patterns.close(), () => browsers.close()],
  };
  let node: RunningNode;
  try {
    // Each role loads only its own parts: an agent never loads the store or the alert stack.
    node =
      identity.role === 'coordinator'
        ? await (await import('./coordinator-node.ts')).startCoordinator(ctx)
        : await (await import('./agent-node.ts')).startAgentNode(ctx);
  } catch (error) {
    for (const cleanup of ctx.cleanups.reverse()) await cleanup();
    if (isStorageFull(error))
      throw storageFullError(
        error,
        `cannot write to ${config.dataDir}; free some space and start again`,
      );
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    fs.rmSync(paths.daemonInfo, { force: true });
    await node.stop();
    await patterns.close();
    await browsers.close();
    lock.release();
    ctx.logger.info({ nodeId: identity.nodeId }, 'stopped');
  };
  return { ...node, stop: () => (stopping ??= stop()) };
}

/**
 * Every check of the node (monitors, votes, probes, canaries) evaluates patterns in its pool
 * and runs browser transactions in its one Chromium.
 */
function withNodePools(
  runCheck: CheckRunner,
  patterns: PatternPool,
  browsers: BrowserPool,
): CheckRunner {
  return (spec, options = {}) =>
    runCheck(spec, {
      ...options,
      patterns: options.patterns ?? patterns,
      browsers: options.browsers ?? browsers,
    });
}
