import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError, validationError } from '../lib/errors.ts';
import type { AnyOperation, OperationContext, Principal } from '../operations/kit.ts';
import { authorize } from '../operations/kit.ts';
import type { OperationServices } from '../operations/services.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request, set by the auth hook before any route runs. */
    principal?: Principal;
  }
}

/** `/api/v1/monitors/{id}` → `/api/v1/monitors/:id` (Fastify's syntax). */
export function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** The names of `{field}` segments of a path template. */
export function pathFields(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
}

/** Where an input field came from, so a validation error names what the client sent. */
function fieldLocation(op: AnyOperation, field: string): string {
  if (pathFields(op.http.path).includes(field)) return `path.${field}`;
  if (op.http.method === 'GET' || op.http.method === 'DELETE') return `query.${field}`;
  if (op.http.bodyField === field) return 'body';
  return field;
}

/** Collects one operation's input from path parameters, the query string or the body. */
export function requestInput(op: AnyOperation, request: FastifyRequest): Record<string, unknown> {
  const params = (request.params ?? {}) as Record<string, string>;
  const fromPath = Object.fromEntries(pathFields(op.http.path).map((f) => [f, params[f]]));
  if (op.http.method === 'GET' || op.http.method === 'DELETE') {
    return { ...(request.query as Record<string, unknown>), ...fromPath };
  }
  const body: unknown = request.body ?? {};
  if (op.http.bodyField !== undefined) return { ...fromPath, [op.http.bodyField]: body };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError([{ path: 'body', message: 'expected a JSON object' }]);
  }
  return { ...(body as Record<string, unknown>), ...fromPath };
}

/** Parses an operation's input with its schema; every bad field is named in one error. */
export function parseOperationInput(op: AnyOperation, raw: unknown, locate = (f: string) => f) {
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

/** Runs an operation for an authenticated principal: authorize, parse, run. */
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

function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined)
    throw new AppError('UNAUTHORIZED', 'sign in or send a token');
  return request.principal;
}

/** Serves every operation at its REST route; handlers hold no logic of their own. */
export function registerOperationRoutes(
  app: FastifyInstance,
  operations: readonly AnyOperation[],
  services: OperationServices,
): void {
  for (const op of operations) {
    app.route({
      method: op.http.method,
      url: fastifyPath(op.http.path),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const output = await invokeOperation(
          op,
          principalOf(request),
          services,
          requestInput(op, request),
          (field) => fieldLocation(op, field),
        );
        const status = op.http.status ?? 200;
        if (status === 204) return reply.status(204).send();
        return reply.status(status).send(output ?? null);
      },
    });
  }
}
