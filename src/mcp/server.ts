import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../app/version.ts';
import type { AnyOperation } from '../operations/kit.ts';
import type { ErrorLog, ToolCaller } from './tools.ts';
import { callTool, describeTools } from './tools.ts';

/** Makes an MCP server whose tools run through `caller`; unexpected failures go to `log`. */
export type McpServerFactory = (caller: ToolCaller, log: ErrorLog) => Server;

const INSTRUCTIONS =
  'Crosscheck checks each monitor from several vantage points and calls it down only when a quorum agrees. Read tools never change anything; write tools need a read-write token.';

/**
 * Servers offering the registry's tools, to connect to any transport. The tool list is derived
 * once here: the HTTP endpoint makes a server per request.
 *
 * The SDK's low-level `Server` is used rather than `McpServer`: McpServer parses arguments with
 * the tool's zod schema and hands the *parsed* value on, but the stdio transport must forward
 * what the client sent (the daemon parses it again, transforms and all), and validation errors
 * must come back in Crosscheck's own shape, naming the field.
 */
export function mcpServerFactory(operations: readonly AnyOperation[]): McpServerFactory {
  const tools = describeTools(operations);
  return (caller, log) => {
    const server = new Server(
      { name: 'crosscheck', version: VERSION },
      { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
    server.setRequestHandler(CallToolRequestSchema, (request) =>
      callTool(operations, caller, log, request.params.name, request.params.arguments),
    );
    return server;
  };
}
