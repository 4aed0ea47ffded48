import { pushCommand } from './commands/push.ts';
import { Command, CommanderError } from 'commander';
import { VERSION } from '../config/version.ts';
import { isAppError } from '../lib/errors.ts';
import { alertsCommand } from './commands/alerts.ts';
import { checkCommand } from './commands/check.ts';
import { applyCommand, diffCommand, exportCommand } from './commands/config.ts';
import { eventsCommand } from './commands/events.ts';
import { healthCommand } from './commands/health.ts';
import { historyCommand } from './commands/history.ts';
import { importCommand } from './commands/import.ts';
import { incidentsCommand } from './commands/incidents.ts';
import { monitorCommand } from './commands/monitor.ts';
import { initCommand, joinCommand, joinTokenCommand } from './commands/cluster-setup.ts';
import { coordinatorCommand } from './commands/coordinator.ts';
import { maintenanceCommand } from './commands/maintenance.ts';
import { mcpCommand } from './commands/mcp.ts';
import { migrateCommand } from './commands/migrate.ts';
import { addDerivedCommands } from './derived-commands.ts';
import { OPERATIONS } from '../operations/registry.ts';
import { IMPORTERS } from '../importers/registry.ts';
import { nodeCommand } from './commands/node.ts';
import { probeCommand } from './commands/probe.ts';
import { agentCommand, startCommand } from './commands/start.ts';
import { statusCommand } from './commands/status.ts';
import { userCommand } from './commands/user.ts';
import type { CliContext } from './context.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';

/**
 * Commands that are not operations: they start or set up this machine's node, or run
 * here and nowhere else. Every other command serves an operation of the registry (a test
 * holds the tree to that).
 */
export const LOCAL_COMMANDS: readonly string[] = [
  'start', // runs the daemon
  'init', // creates a coordinator's data dir and CA
  'agent', // runs an agent's daemon
  'join', // enrols this machine with a coordinator
  'coordinator join', // enrols this machine as another coordinator on the shared database
  'check', // one check from this machine, no daemon involved
  'mcp', // serves the operations to an MCP client over stdio
  'events', // follows the daemon's live event stream (SSE), not a request/response operation
  'user create-admin', // the first admin, with the data dir's setup token (no credentials yet)
  'diff', // config.apply as a dry run whose exit code says whether anything would change
  'push', // a push monitor's ping: a plain HTTP request to its URL (resolved via the API by name)
  'migrate', // copies this data dir's SQLite database into PostgreSQL, with the daemon stopped
  // reads another tool's file here, then calls alerts.targets.create and monitors.bulk
  ...IMPORTERS.map((importer) => `import ${importer.name}`),
];

/** Builds the whole command tree. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('crosscheck')
    .description('uptime monitoring confirmed from several vantage points')
    .version(VERSION)
    .option(
      '--data-dir <dir>',
      'data directory (env CROSSCHECK_DATA_DIR; default ~/.local/share/crosscheck)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const make of [
    startCommand,
    initCommand,
    agentCommand,
    joinTokenCommand,
    joinCommand,
    coordinatorCommand,
    nodeCommand,
    monitorCommand,
    statusCommand,
    incidentsCommand,
    maintenanceCommand,
    alertsCommand,
    eventsCommand,
    historyCommand,
    checkCommand,
    probeCommand,
    healthCommand,
    mcpCommand,
    userCommand,
    applyCommand,
    diffCommand,
    exportCommand,
    importCommand,
    pushCommand,
    migrateCommand,
  ]) {
    program.addCommand(make(ctx));
  }
  addDerivedCommands(program, OPERATIONS, ctx);
  for (const command of program.commands) applyExitOverride(command);
  return program;
}

function applyExitOverride(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) applyExitOverride(sub);
}

/** Runs the CLI with argv and returns the exit code (errors printed, never thrown). */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  try {
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
        ? EXIT.ok
        : EXIT.usage;
    }
    if (isAppError(error)) {
      ctx.out.error(`error: ${error.message}`);
      if (
        error.issues.length > 1 ||
        (error.issues.length === 1 && !error.message.includes(error.issues[0]?.message ?? ''))
      ) {
        for (const issue of error.issues) ctx.out.error(`  ${issue.path}: ${issue.message}`);
      }
      return exitCodeFor(error.code);
    }
    ctx.out.error(
      `error: unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
    );
    return EXIT.internal;
  }
}
