import { ErrorCode as McpErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, Tool, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { isAppError } from '../lib/errors.ts';
import type { AnyOperation } from '../operations/kit.ts';
import { answersWithBody, mcpToolName } from '../operations/kit.ts';

/**
 * Runs one operation for the MCP client and returns its output. The HTTP transport invokes the
 * operation in-process for the request's principal; stdio calls the daemon's REST API. Tools
 * know neither, so both offer the same tools with the same results.
 */
export type ToolCaller = (op: AnyOperation, input: unknown) => Promise<unknown>;

/** Where unexpected failures are logged: a pino logger or Fastify's request log. */
export interface ErrorLog {
  error(details: object, message: string): void;
}

/** The tool of an operation is named by the registry's rule (`monitors.create` → `monitors_create`). */
export const toolName = mcpToolName;

/** The operations offered as tools, in registry order. */
export function toolOperations(operations: readonly AnyOperation[]): AnyOperation[] {
  return operations.filter((op) => op.mcp);
}

type ObjectJsonSchema = Tool['inputSchema'];

/**
 * An object JSON Schema of `schema`, or undefined when it is not an object. `io: 'input'` is what a
 * client sends (before transforms: `30s` and `30000` both), `output` what a tool returns.
 */
function objectJsonSchema(schema: z.ZodType, io: 'input' | 'output'): ObjectJsonSchema | undefined {
  // Unrepresentable parts (custom checks, transforms) become `{}`: permissive, never a crash
  // while listing tools; the operation's own parse still judges the input.
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  if (json.type !== 'object') return undefined;
  const { $schema: _dialect, ...rest } = json;
  return { ...rest, type: 'object' };
}

/** Hints a client uses to decide what to run without asking; derived, never declared twice. */
function annotationsOf(op: AnyOperation): ToolAnnotations {
  const readOnly = op.access === 'read';
  return {
    title: op.summary,
    readOnlyHint: readOnly,
    destructiveHint: op.destructive,
    // Only meaningful for writes: PUT, PATCH and DELETE are idempotent by HTTP's own rules;
    // a POST (create, pause) is not promised to be.
    ...(readOnly ? {} : { idempotentHint: ['PUT', 'PATCH', 'DELETE'].includes(op.http.method) }),
    // Tools act on this Crosscheck's own data, not on an open world (a probe checks a target
    // the caller names, but reports rather than changes it).
    openWorldHint: false,
  };
}

/** One tool per operation with `mcp: true`: name, help, input schema, hints and output schema. */
export function describeTools(operations: readonly AnyOperation[]): Tool[] {
  return toolOperations(operations).map((op) => {
    // An output only sometimes there (a delete's warnings) has no schema to promise: the
    // result is `{ ok: true }` without one.
    const outputSchema =
      answersWithBody(op) === undefined ? objectJsonSchema(op.output, 'output') : undefined;
    return {
      name: toolName(op),
      title: op.summary,
      description: op.description === undefined ? op.summary : `${op.summary}. ${op.description}`,
      inputSchema: objectJsonSchema(op.input as z.ZodType, 'input') ?? { type: 'object' },
      ...(outputSchema === undefined ? {} : { outputSchema }),
      annotations: annotationsOf(op),
    };
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An operation's output as a tool result: JSON text for every client, structured for new ones. */
export function toolResult(output: unknown): CallToolResult {
  const value = output === undefined ? { ok: true } : output;
  return {
    content: [{ type: 'text', text: JSON.stringify(value) }],
    ...(isPlainObject(value) ? { structuredContent: value } : {}),
  };
}

/**
 * A failed call as a tool result (not a protocol error), so the model reads the code and the
 * named fields and can correct its input. Unexpected errors keep their message in the log.
 */
export function toolError(error: unknown, log: ErrorLog): CallToolResult {
  const body = isAppError(error)
    ? { code: error.code, message: error.message, issues: [...error.issues] }
    : { code: 'INTERNAL', message: 'internal error', issues: [] };
  if (!isAppError(error)) log.error({ err: error }, 'mcp tool failed unexpectedly');
  return { content: [{ type: 'text', text: JSON.stringify({ error: body }) }], isError: true };
}

/** Runs the tool `name` with the client's arguments; an unknown name is a protocol error. */
export async function callTool(
  operations: readonly AnyOperation[],
  caller: ToolCaller,
  log: ErrorLog,
  name: string,
  args: Record<string, unknown> | undefined,
): Promise<CallToolResult> {
  const op = toolOperations(operations).find((candidate) => toolName(candidate) === name);
  if (op === undefined) throw new McpError(McpErrorCode.InvalidParams, `unknown tool ${name}`);
  try {
    return toolResult(await caller(op, args ?? {}));
  } catch (error) {
    return toolError(error, log);
  }
}
