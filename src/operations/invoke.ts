import type { z } from 'zod';
import { validationError } from '../lib/errors.ts';
import type { AnyOperation, OperationContext, Principal } from './kit.ts';
import { authorize } from './kit.ts';
import type { OperationServices } from './services.ts';

/**
 * Parses an operation's input with its schema; every bad field is named in one error.
 * `locate` maps a top-level field to where the client sent it (`query.limit`, `body`), so a
 * REST client, a CLI user and an MCP client each see their own words.
 */
export function parseOperationInput(
  op: AnyOperation,
  raw: unknown,
  locate: (field: string) => string = (f) => f,
): Record<string, unknown> {
  const parsed = (op.input as z.ZodType).safeParse(raw);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  throw validationError(
    parsed.error.issues.map((issue) => {
      const [head, ...rest] = issue.path.map(String);
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(',') : '';
      const field = head === undefined ? keys : [locate(head), ...rest].join('.');
      return { path: field, message: issue.message };
    }),
  );
}

/**
 * Runs an operation for an authenticated principal: authorize, parse, run. Every transport
 * (REST, MCP, the offline CLI) calls this and nothing else, so the rules live in one place.
 */
export async function invokeOperation(
  op: AnyOperation,
  principal: Principal,
  services: OperationServices,
  raw: unknown,
  locate?: (field: string) => string,
): Promise<unknown> {
  authorize(op, principal);
  const input = parseOperationInput(op, raw, locate);
  const ctx: OperationContext = { principal, services };
  return op.run(ctx, input);
}
