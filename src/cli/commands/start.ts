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
import { parseCanaryFlags } from '../../checks/canary-spec.ts';
import type { CanarySpec } from '../../checks/canary-spec.ts';
import { collectRepeated } from '../check-flags.ts';
import { createLogger } from '../../observability/logger.ts';
import type { Logger } from '../../observability/logger.ts';
import type { CliContext, GlobalOptions } from '../context.ts';

interface RunOptions extends GlobalOptions {
  apiListen?: string;
  logLevel?: string;
  logFormat?: string;
  concurrency?: string;
  retainResults?: string;
  storageBudget?: string;
  listen?: string;
  heartbeatInterval?: string;
  graceCount?: string;
  outboxMax?: string;
  publicUrl?: string;
  publicListen?: string;
  canary?: string[];
}

/** `--canary` help, shared by every command that sets a node's canaries. */
export const CANARY_FLAG_HELP =
  'a target this node should always reach, e.g. tcp:192.168.1.1:53, icmp:192.168.1.1, http:http://intranet.local/health (repeatable; when most fail, this node abstains instead of voting down)';

/** The flags of every command that runs a node. */
function addRunFlags(command: Command): Command {
  return command
    .option(
      '--api-listen <host:port>',
      'API address (default 127.0.0.1:7434; a token is required beyond loopback)',
    )
    .option('--listen <host:port>', 'coordinator peer port, mutual TLS (default 0.0.0.0:7433)')
    .option(
      '--public-listen <host:port>',
      'coordinator: also serve status pages, feeds and badges (and nothing else) here (env CROSSCHECK_PUBLIC_LISTEN)',
    )
    .option(
      '--log-level <level>',
      'fatal, error, warn, info, debug, trace or silent (default info)',
    )
    .option('--log-format <format>', 'json or pretty (default: pretty on a terminal, else json)')
    .option('--concurrency <n>', 'most checks running at once (default 256)')
    .option(
      '--retain-results <duration>',
      'keep raw results this long (default 7d; rollups are kept longer)',
    )
    .option(
      '--storage-budget <size>',
      'coordinator: keep the database within this size (e.g. 500MB, 20GB) by shortening the raw results window, never below 1h; rollups are unaffected (env CROSSCHECK_STORAGE_BUDGET)',
    )
    .option('--heartbeat-interval <duration>', 'agent heartbeat period (default 5s)')
    .option(
      '--grace-count <n>',
      'coordinator: missed heartbeats before a node is missing (default 6)',
    )
    .option(
      '--outbox-max <n>',
      'agent: most results kept while the coordinator is away (default 1000000)',
    )
    .option(
      '--public-url <url>',
      'coordinator: the dashboard address people use, for links in alerts (env CROSSCHECK_PUBLIC_URL)',
    )
    .option(
      '--canary <type:target>',
      `${CANARY_FLAG_HELP}; replaces the stored list`,
      collectRepeated,
    );
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
      retainResults: opts.retainResults,
      storageBudget: opts.storageBudget,
      listen: opts.listen,
      heartbeatInterval: opts.heartbeatInterval,
      graceCount: opts.graceCount,
      outboxMax: opts.outboxMax,
      publicUrl: opts.publicUrl,
      publicListen: opts.publicListen,
    },
    ctx.env,
  );
}

/** Runs the node in the foreground until SIGINT/SIGTERM. */
async function runNode(
  ctx: CliContext,
  config: NodeConfig,
  logger: Logger,
  configFile?: ConfigFileOptions,
): Promise<void> {
  // A daemon's garbage is short-lived per-check objects; without this V8 lets the heap grow
  // to hundreds of MB on a machine with much RAM before collecting. Measured with 2,000
  // HTTP monitors at 10 s: RSS 320 → 140 MB for CPU 18 → 23 % of one core. Small VPSes run
  // out of memory before CPU, so the daemon trades that CPU for memory.
  v8.setFlagsFromString('--optimize-for-size');
  const { startNode } = await import('../../app/node.ts');
  const node = await startNode({
    config,
    logger,
    ...(configFile === undefined ? {} : { configFile }),
  });
  for (const warning of node.warnings) ctx.out.error(`warning: ${warning}`);
  ctx.out.error(
    `crosscheck ${node.role} running: API ${node.apiUrl}, data in ${config.dataDir} (Ctrl-C to stop)`,
  );
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'signal received');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await node.stop();
}

/** `crosscheck start`: the one-command path — sets up a coordinator if needed, then runs it. */
export function startCommand(ctx: CliContext): Command {
  return addRunFlags(
    new Command('start').description(
      'run a complete monitor in the foreground (sets this data dir up as a coordinator first if needed)',
    ),
  )
    .option(
      '--config <file>',
      'apply this config file at start (problems: exit 2) and whenever it changes (docs/config-file.md)',
    )
    .option('--config-prune', 'with --config: delete monitors the file manages and no longer names')
    .action(async (opts: { config?: string; configPrune?: boolean }, command: Command) => {
      const config = configFrom(command, ctx);
      const configFile =
        opts.config === undefined
          ? undefined
          : { file: path.resolve(opts.config), prune: opts.configPrune ?? false, env: ctx.env };
      const canaries = canaryFlags(command);
      const logger = createLogger(config.logLevel, config.logFormat);
      const paths = dataDirPaths(config.dataDir);
      if (readNodeIdentity(paths.nodeIdentity) !== undefined) {
        if (canaries !== undefined) replaceCanaries(paths.nodeIdentity, canaries);
      } else {
        const listen = config.peerListen ?? { host: '0.0.0.0', port: 7433 };
        const { initCoordinator } = await import('../../app/cluster-setup.ts');
        const identity = await initCoordinator({
          dataDir: config.dataDir,
          name: os.hostname(),
          listen: formatHostPort(listen.host, listen.port),
          advertise: null,
          region: null,
          labels: {},
          ...(canaries === undefined ? {} : { canaries }),
          logger,
        });
        logger.info(
          { nodeId: identity.nodeId, name: identity.name },
          'data dir set up as coordinator',
        );
      }
      await runNode(ctx, config, logger, configFile);
    });
}

/** `crosscheck agent`: runs whatever node this data dir is (coordinator or agent). */
export function agentCommand(ctx: CliContext): Command {
  return addRunFlags(
    new Command('agent').description(
      'run this node (coordinator or agent, as init/join set it up) in the foreground',
    ),
  ).action(async (_opts: unknown, command: Command) => {
    const config = configFrom(command, ctx);
    const canaries = canaryFlags(command);
    // Given flags replace the stored list; an uninitialised dir is reported by startNode.
    if (canaries !== undefined)
      replaceCanaries(dataDirPaths(config.dataDir).nodeIdentity, canaries);
    await runNode(ctx, config, createLogger(config.logLevel, config.logFormat));
  });
}
