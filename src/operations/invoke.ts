import type { z } from 'zod';
import { validationError } from '../lib/errors.ts';
import type { AnyOperation, OperationContext, Principal } from './kit.ts';
import { authorize } from './kit.ts';
import type { OperationServices } from './services.ts';

/** Names an input field's path (never empty) as the transport's client knows it. */
export type FieldLocator = (path: readonly string[]) => string;

/**
 * Parses an operation's input with its schema; every bad field is named in one error.
 * `locate` names a field's path as the client sent it (`query.limit`, `body`), so a REST
 * client, a CLI user and an MCP client each see their own words.
 */
export function parseOperationInput(
  op: AnyOperation,
  raw: unknown,
  locate: FieldLocator = (path) => path.join('.'),
): Record<string, unknown> {
  const parsed = (op.input as z.ZodType).safeParse(raw);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  throw validationError(
    parsed.error.issues.flatMap((issue) => {
      const path = issue.path.map(String);
      // An unknown field is named like any other, one issue each, where the client sent it.
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((key) => ({
          path: locate([...path, key]),
          message: 'unknown field',
        }));
      return [{ path: path.length === 0 ? '' : locate(path), message: issue.message }];
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
  locate?: FieldLocator,
): Promise<unknown> {
  authorize(op, principal);
  const input = parseOperationInput(op, raw, locate);
  const ctx: OperationContext = { principal, services };
  return op.run(ctx, input);
}
