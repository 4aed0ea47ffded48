import path from 'node:path';
import os from 'node:os';
import v8 from 'node:v8';
import type { ConfigFileOptions } from '../../app/config-file-watch.ts';
import { Command } from 'commander';
import { formatHostPort } from '../../cluster/pki/tls-options.ts';
import { dataDirPaths } from '../../config/data-dir.ts';
import type { NodeConfig } from '../../config/node-config.ts';
import { loadNodeConfig } from '../../config/node-config.ts';
import { readNodeIdentity, replaceCanaries } from '../../config/node-identity.ts';
import type { NodeIdentity } from '../../config/node-identity.ts';
import { validationError } from '../../lib/errors.ts';
import { parseCanaryFlags } from '../../checks/canary-spec.ts';
import type { CanarySpec } from '../../checks/canary-spec.ts';
import { createLogger } from '../../observability/logger.ts';
import type { DatabaseChoice } from '../../config/database-config.ts';
import { recordDatabase, resolveDatabase } from '../../config/database-config.ts';
import { databaseRecordOf } from './database-flags.ts';
import type { Logger } from '../../observability/logger.ts';
import type { CliContext, GlobalOptions } from '../context.ts';
import {
  addNodeFlags,
  CONFIG_FILE_FLAGS,
  coordinatorOnlyEnvSet,
  coordinatorOnlyFlagsGiven,
  RUN_FLAGS,
} from './run-flags.ts';

interface RunOptions extends GlobalOptions {
  apiListen?: string;
  logLevel?: string;
  logFormat?: string;
  concurrency?: string;
  checkThreads?: string;
  retainResults?: string;
  storageBudget?: string;
  listen?: string;
  heartbeatInterval?: string;
  graceCount?: string;
  outboxMax?: string;
  publicUrl?: string;
  publicListen?: string;
  chromiumPath?: string;
  browserConcurrency?: string;
  groupWait?: string;
  groupWindow?: string;
  groupMin?: string;
  databaseUrl?: string;
  databaseCa?: string;
  leaseTtl?: string;
  canary?: string[];
}

/** The `--canary` values given, parsed (VALIDATION naming `--canary`); undefined when none. */
function canaryFlags(command: Command): CanarySpec[] | undefined {
  const values = command.optsWithGlobals<RunOptions>().canary;
  return values === undefined ? undefined : parseCanaryFlags(values);
}

function configFrom(command: Command, ctx: CliContext): NodeConfig {
  const opts = command.optsWithGlobals<RunOptions>();
  return loadNodeConfig(
    {
      dataDir: opts.dataDir,
      apiListen: opts.apiListen,
      logLevel: opts.logLevel,
      logFormat: opts.logFormat,
      concurrency: opts.concurrency,
      checkThreads: opts.checkThreads,
      retainResults: opts.retainResults,
      storageBudget: opts.storageBudget,
      listen: opts.listen,
      heartbeatInterval: opts.heartbeatInterval,
      graceCount: opts.graceCount,
      outboxMax: opts.outboxMax,
      publicUrl: opts.publicUrl,
      publicListen: opts.publicListen,
      chromiumPath: opts.chromiumPath,
      browserConcurrency: opts.browserConcurrency,
      groupWait: opts.groupWait,
      groupWindow: opts.groupWindow,
      groupMin: opts.groupMin,
      databaseUrl: opts.databaseUrl,
      databaseCa: opts.databaseCa,
      leaseTtl: opts.leaseTtl,
    },
    ctx.env,
  );
}

/** A setting this node was given through its environment and does not read. */
interface IgnoredSetting {
  env: string;
  message: string;
}

/**
 * Coordinator-only settings given to a node that is an agent. As flags they are a usage error
 * before anything starts or changes: whoever typed one expects it to work. Through the
 * environment they are only warnings, returned here: one environment file is often shared by
 * every node's unit (or a container image), and refusing it would make it unusable on agents.
 */
function checkCoordinatorOnlySettings(
  command: Command,
  ctx: CliContext,
  identity: NodeIdentity | undefined,
): IgnoredSetting[] {
  if (identity?.role !== 'agent') return [];
  const given = coordinatorOnlyFlagsGiven(command);
  if (given.length > 0)
    throw validationError(
      given.map((flag) => ({ path: flag, message: 'applies to the coordinator only' })),
      `${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} to the coordinator only (\`crosscheck start\` there); this node is an agent, so nothing was started`,
    );
  return coordinatorOnlyEnvSet(ctx.env).map((env) => ({
    env,
    message: `${env} is ignored on an agent: it applies to the coordinator only`,
  }));
}

/** Runs the node in the foreground until SIGINT/SIGTERM. */
async function runNode(
  ctx: CliContext,
  config: NodeConfig,
  logger: Logger,
  ignored: readonly IgnoredSetting[],
  database: DatabaseChoice | undefined,
  configFile?: ConfigFileOptions,
): Promise<void> {
  for (const { env, message } of ignored) {
    logger.warn({ env }, message);
    ctx.out.error(`warning: ${message}`);
  }
  // A daemon's garbage is short-lived per-check objects; without this V8 lets the heap grow
  // to hundreds of MB on a machine with much RAM before collecting. Measured with 2,000
  // HTTP monitors at 10 s: RSS 320 → 140 MB for CPU 18 → 23 % of one core. Small VPSes run
  // out of memory before CPU, so the daemon trades that CPU for memory.
  v8.setFlagsFromString('--optimize-for-size');
  const { startNode } = await import('../../app/node.ts');
  const node = await startNode({
    config,
    logger,
    ...(database === undefined ? {} : { database }),
    ...(configFile === undefined ? {} : { configFile }),
  });
  rememberDatabase(config, database);
  ctx.out.error(
    `crosscheck ${node.role} running: API ${node.apiUrl}, data in ${config.dataDir} (Ctrl-C to stop)`,
  );
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<void>((resolve) => {
    onSignal = (signal) => {
      logger.info({ signal }, 'signal received');
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  try {
    // A node that cannot go on by itself ends the run too: stopped, then its error is the exit.
    await Promise.race([signalled, node.ended ?? signalled]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await node.stop();
  }
}

/**
 * A `--database-url` flag the coordinator started on is recorded in the data dir, so the next
 * start (e.g. the first after `crosscheck migrate --to`) needs no flag. Recorded only once the
 * database proved to hold this coordinator; the environment variable is never recorded.
 */
function rememberDatabase(config: NodeConfig, database: DatabaseChoice | undefined): void {
  const given = config.database.url;
  if (database?.kind !== 'postgres' || given?.field !== '--database-url') return;
  recordDatabase(config.dataDir, given.value, database.caFile);
}

/** `crosscheck start`: the one-command path — sets up a coordinator if needed, then runs it. */
export function startCommand(ctx: CliContext): Command {
  return addNodeFlags(
    addNodeFlags(
      new Command('start').description(
        'run a complete monitor in the foreground (sets this data dir up as a coordinator first if needed)',
      ),
      RUN_FLAGS,
    ),
    CONFIG_FILE_FLAGS,
  ).action(async (opts: { config?: string; configPrune?: boolean }, command: Command) => {
    const config = configFrom(command, ctx);
    const paths = dataDirPaths(config.dataDir);
    const identity = readNodeIdentity(paths.nodeIdentity);
    const ignored = checkCoordinatorOnlySettings(command, ctx, identity);
    const configFile =
      opts.config === undefined
        ? undefined
        : { file: path.resolve(opts.config), prune: opts.configPrune ?? false, env: ctx.env };
    const canaries = canaryFlags(command);
    // Checked before anything is set up or started: a bad URL or CA file is exit 2.
    const database =
      identity?.role === 'agent' ? undefined : resolveDatabase(config.dataDir, config.database);
    const logger = createLogger(config.logLevel, config.logFormat);
    if (identity !== undefined) {
      if (canaries !== undefined) replaceCanaries(paths.nodeIdentity, canaries);
    } else {
      const listen = config.peerListen ?? { host: '0.0.0.0', port: 7433 };
      const { initCoordinator } = await import('../../app/cluster-setup.ts');
      const created = await initCoordinator({
        dataDir: config.dataDir,
        name: os.hostname(),
        listen: formatHostPort(listen.host, listen.port),
        advertise: null,
        region: null,
        labels: {},
        ...(canaries === undefined ? {} : { canaries }),
        logger,
        ...(database === undefined ? {} : { database }),
        ...(database === undefined
          ? {}
          : { databaseRecord: databaseRecordOf(config.database, database) }),
      });
      logger.info({ nodeId: created.nodeId, name: created.name }, 'data dir set up as coordinator');
    }
    await runNode(ctx, config, logger, ignored, database, configFile);
  });
}

/** `crosscheck agent`: runs whatever node this data dir is (coordinator or agent). */
export function agentCommand(ctx: CliContext): Command {
  return addNodeFlags(
    new Command('agent').description(
      'run this node (coordinator or agent, as init/join set it up) in the foreground',
    ),
    RUN_FLAGS,
  ).action(async (_opts: unknown, command: Command) => {
    const config = configFrom(command, ctx);
    const paths = dataDirPaths(config.dataDir);
    const ignored = checkCoordinatorOnlySettings(
      command,
      ctx,
      readNodeIdentity(paths.nodeIdentity),
    );
    const canaries = canaryFlags(command);
    const identity = readNodeIdentity(paths.nodeIdentity);
    const database =
      identity?.role === 'coordinator'
        ? resolveDatabase(config.dataDir, config.database)
        : undefined;
    // Given flags replace the stored list; an uninitialised dir is reported by startNode.
    if (canaries !== undefined) replaceCanaries(paths.nodeIdentity, canaries);
    await runNode(ctx, config, createLogger(config.logLevel, config.logFormat), ignored, database);
  });
}
