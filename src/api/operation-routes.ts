import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, validationError } from '../lib/errors.ts';
import { invokeOperation } from '../operations/invoke.ts';
import type { AnyOperation, Principal } from '../operations/kit.ts';
import { pathFields } from '../operations/kit.ts';
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

/**
 * Where an input field came from, so a validation error names what the client sent: `path.id`,
 * `query.limit`, a body field by its own name, and `body` for a body that is wrong as a whole.
 */
function fieldLocation(op: AnyOperation, path: readonly string[]): string {
  const [field = '', ...rest] = path;
  if (pathFields(op.http.path).includes(field)) return `path.${field}`;
  if (op.http.method === 'GET' || op.http.method === 'DELETE') return `query.${path.join('.')}`;
  if (op.http.bodyField === field) return rest.length === 0 ? 'body' : rest.join('.');
  return path.join('.');
}

/** Collects one operation's input from path parameters, the query string or the body. */
export function requestInput(op: AnyOperation, request: FastifyRequest): Record<string, unknown> {
  const params = (request.params ?? {}) as Record<string, string>;
  const fromPath = Object.fromEntries(pathFields(op.http.path).map((f) => [f, params[f]]));
  if (op.http.method === 'GET' || op.http.method === 'DELETE') {
    return { ...(request.query as Record<string, unknown>), ...fromPath };
  }
  // A JSON `null` is a body, and not one any operation takes: say so rather than read it as
  // "no change" (a PATCH of null would otherwise answer 200 and change nothing).
  if (request.body === null)
    throw validationError([{ path: 'body', message: 'expected a JSON object, got null' }]);
  const body: unknown = request.body ?? {};
  if (op.http.bodyField !== undefined) return { ...fromPath, [op.http.bodyField]: body };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError([{ path: 'body', message: 'expected a JSON object' }]);
  }
  return { ...(body as Record<string, unknown>), ...fromPath };
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
      ...(op.http.bodyLimit === undefined ? {} : { bodyLimit: op.http.bodyLimit }),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const output = await invokeOperation(
          op,
          principalOf(request),
          services,
          requestInput(op, request),
          (path) => fieldLocation(op, path),
        );
        const status = op.http.status ?? 200;
        if (status === 204) {
          // A 204 operation with something to say (a delete's warnings) answers 200 with it.
          if (output === undefined) return reply.status(204).send();
          return reply.status(200).send(output);
        }
        return reply.status(status).send(output ?? null);
      },
    });
  }
}
