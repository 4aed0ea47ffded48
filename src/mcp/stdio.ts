import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServerOptions } from './server.ts';
import { createMcpServer } from './server.ts';

/**
 * Serves the tools on this process's stdin/stdout until the client goes away. Nothing else may
 * write to stdout meanwhile: it carries only MCP messages.
 */
export async function serveStdio(options: McpServerOptions): Promise<void> {
  const server = createMcpServer(options);
  const closed = new Promise<void>((resolve) => {
    server.onclose = resolve;
  });
  // The transport does not notice the client going away; stdin ending is that signal.
  process.stdin.once('end', () => void server.close());
  await server.connect(new StdioServerTransport());
  await closed;
}
