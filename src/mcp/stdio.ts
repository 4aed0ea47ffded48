import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { AnyOperation } from '../operations/kit.ts';
import { mcpServerFactory } from './server.ts';
import type { ErrorLog, ToolCaller } from './tools.ts';

/**
 * Serves the tools on this process's stdin/stdout until the client goes away. Nothing else may
 * write to stdout meanwhile: it carries only MCP messages.
 */
export async function serveStdio(
  operations: readonly AnyOperation[],
  caller: ToolCaller,
  log: ErrorLog,
): Promise<void> {
  const server = mcpServerFactory(operations)(caller, log);
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  // The transport does not notice the client going away; stdin ending is that signal.
  process.stdin.once('end', () => void server.close());
  await server.connect(new StdioServerTransport());
  await closed;
}
