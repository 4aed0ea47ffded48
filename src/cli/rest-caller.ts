import { AppError, isAppError, validationError } from '../lib/errors.ts';
import type { AnyOperation } from '../operations/kit.ts';
import type { ApiClient } from './api-client.ts';

/** One REST request for an operation: what its `http` block says to send. */
export interface OperationRequest {
  method: string;
  /** Path with `{field}` segments filled in and, for GET/DELETE, the query string. */
  path: string;
  body?: unknown;
}

function asRecord(input: unknown): Record<string, unknown> {
  if (typeof input === 'object' && input !== null && !Array.isArray(input))
    return input as Record<string, unknown>;
  throw validationError([{ path: '', message: 'expected an object of named fields' }]);
}

function queryText(value: unknown): string {
  if (Array.isArray(value)) return value.map(queryText).join(',');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

/**
 * Maps an operation's input to its REST request, as the server's adapter maps it back:
 * `{field}` path segments, then the query string (GET, DELETE) or the JSON body (the whole
 * `bodyField`, or the remaining fields).
 */
export function operationRequest(op: AnyOperation, rawInput: unknown): OperationRequest {
  const rest = { ...asRecord(rawInput) };
  const path = op.http.path.replace(/\{(\w+)\}/g, (_match, field: string) => {
    const value = rest[field];
    if (typeof value !== 'string' && typeof value !== 'number')
      throw validationError([{ path: field, message: 'required' }]);
    delete rest[field];
    return encodeURIComponent(String(value));
  });
  const { method } = op.http;
  if (method === 'GET' || method === 'DELETE') {
    const entries = Object.entries(rest)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]): [string, string] => [key, queryText(value)]);
    const query = new URLSearchParams(entries).toString();
    return { method, path: query === '' ? path : `${path}?${query}` };
  }
  return { method, path, body: op.http.bodyField === undefined ? rest : rest[op.http.bodyField] };
}

/** `query.limit` → `limit`, `body` → the body field: the names the MCP client sent. */
function inputFieldOf(op: AnyOperation, path: string): string {
  if (path === 'body' && op.http.bodyField !== undefined) return op.http.bodyField;
  return path.replace(/^(path|query)\./, '');
}

/**
 * Runs an operation through the daemon's REST API. Field names in errors come back as the
 * caller gave them (`limit`, not `query.limit`), so the CLI and MCP clients see their own words.
 */
export async function callOverApi(
  api: ApiClient,
  op: AnyOperation,
  input: unknown,
): Promise<unknown> {
  const request = operationRequest(op, input);
  try {
    return await api.request(request.method, request.path, request.body, {
      ...(op.http.clientWaitMs !== undefined ? { timeoutMs: op.http.clientWaitMs } : {}),
    });
  } catch (error) {
    if (!isAppError(error) || error.issues.length === 0) throw error;
    const issues = error.issues.map((i) => ({ ...i, path: inputFieldOf(op, i.path) }));
    throw new AppError(error.code, error.message, { issues, cause: error });
  }
}
