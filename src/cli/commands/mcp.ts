import { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { dataDirOf } from '../context.ts';
import { openBackend } from '../backend.ts';
import type { AnyOperation } from '../../operations/kit.ts';

/**
 * `crosscheck mcp`: an MCP server on stdin/stdout for an assistant the user starts (a desktop
 * app, an IDE). Each tool runs like any CLI command: on the daemon's API with the data dir's token, or
 * on the store when no daemon runs; logs go to stderr.
 */
export function mcpCommand(ctx: CliContext): Command {
  return new Command('mcp')
    .description(
      'serve Crosscheck’s tools to an MCP client over stdio (reads work without the daemon)',
    )
    .action(async (_opts: unknown, command: Command) => {
      const dataDir = dataDirOf(command, ctx);
      // Loaded here, not with the command tree: the SDK and the registry would slow every command.
      const [{ serveStdio }, { OPERATIONS }, { createLogger }] = await Promise.all([
        import('../../mcp/stdio.ts'),
        import('../../operations/registry.ts'),
        import('../../observability/logger.ts'),
      ]);
      // The daemon is looked up on every call: a client started before the daemon works once
      // it runs, and reads still work from the store while it is stopped.
      const call = async (op: AnyOperation, input: unknown) => {
        const backend = await openBackend(dataDir, ctx.env);
        try {
          return await backend.call(op, input);
        } finally {
          await backend.close();
        }
      };
      await serveStdio(
        OPERATIONS,
        call,
        createLogger('warn', 'json', process.stderr).child({ part: 'mcp' }),
      );
    });
}
