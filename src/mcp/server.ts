import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../app/version.ts';
import type { AnyOperation } from '../operations/kit.ts';
import type { ErrorLog, ToolCaller } from './tools.ts';
import { callTool, describeTools } from './tools.ts';

export interface McpServerOptions {
  operations: readonly AnyOperation[];
  caller: ToolCaller;
  /** Unexpected tool failures go here (expected ones are the client's tool results). */
  log: ErrorLog;
}

/**
 * An MCP server offering the registry's tools; connect it to any transport.
 *
 * The SDK's low-level `Server` is used rather than `McpServer`: McpServer parses arguments with
 * the tool's zod schema and hands the *parsed* value on, but the stdio transport must forward
 * what the client sent (the daemon parses it again, transforms and all), and validation errors
 * must come back in Crosscheck's own shape, naming the field.
 */
export function createMcpServer(options: McpServerOptions): Server {
  const tools = describeTools(options.operations);
  const server = new Server(
    { name: 'crosscheck', version: VERSION },
    {
      capabilities: { tools: {} },
      instructions:
        'Crosscheck checks each monitor from several vantage points and calls it down only when a quorum agrees. Read tools never change anything; write tools need a read-write token.',
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, (request) =>
    callTool(
      options.operations,
      options.caller,
      options.log,
      request.params.name,
      request.params.arguments,
    ),
  );
  return server;
}
