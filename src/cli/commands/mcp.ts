import { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { dataDirOf } from '../context.ts';

/**
 * `crosscheck mcp`: an MCP server on stdin/stdout for an assistant the user starts (a desktop
 * app, an IDE). Each tool calls the daemon's API with the data dir's token; logs go to stderr.
 */
export function mcpCommand(ctx: CliContext): Command {
  return new Command('mcp')
    .description('serve Crosscheck’s tools to an MCP client over stdio (needs the running daemon)')
    .action(async (_opts: unknown, command: Command) => {
      const dataDir = dataDirOf(command, ctx);
      // Loaded here, not with the command tree: the SDK and the registry would slow every command.
      const [{ serveStdio }, { OPERATIONS }, { callOperationOverApi }, { createLogger }] =
        await Promise.all([
          import('../../mcp/stdio.ts'),
          import('../../operations/registry.ts'),
          import('../rest-caller.ts'),
          import('../../observability/logger.ts'),
        ]);
      await serveStdio(
        OPERATIONS,
        (op, input) => callOperationOverApi(dataDir, op, input),
        createLogger('warn', 'json', process.stderr).child({ part: 'mcp' }),
      );
    });
}
