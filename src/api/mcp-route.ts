import { timingSafeEqual } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { mcpServerFactory } from '../mcp/server.ts';
import { invokeOperation } from '../operations/invoke.ts';
import type { AnyOperation, Principal } from '../operations/kit.ts';
import type { OperationServices } from '../operations/services.ts';

export interface McpRouteOptions {
  /**
   * Resolves a principal when the server's auth hook has set none (interim: until that hook
   * resolves tokens, the coordinator accepts its api-token file here). Returns undefined to refuse.
   */
  fallbackPrincipal?: (request: FastifyRequest) => Principal | undefined;
}

/** The operator holding the data dir's api-token file: full rights, like the local CLI. */
const API_TOKEN_PRINCIPAL: Principal = {
  userId: 'local',
  name: 'api-token',
  role: 'admin',
  access: 'write',
  via: 'local',
};

/** A `fallbackPrincipal` accepting `Authorization: Bearer <token>` for the api-token file's token. */
export function apiTokenPrincipal(
  token: string,
): (request: FastifyRequest) => Principal | undefined {
  const expected = Buffer.from(token);
  return (request) => {
    const header = request.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const matches = given.length === expected.length && timingSafeEqual(given, expected);
    return matches ? API_TOKEN_PRINCIPAL : undefined;
  };
}

/**
 * Serves the registry's MCP tools over Streamable HTTP at `/mcp`, stateless: each POST gets its
 * own server and transport, so no session outlives a request and every call is authorized
 * with the token it came with. Tools run `invokeOperation` for the request's principal.
 */
export function registerMcpRoute(
  app: FastifyInstance,
  operations: readonly AnyOperation[],
  services: OperationServices,
  options: McpRouteOptions = {},
): void {
  const makeServer = mcpServerFactory(operations);
  app.post('/mcp', async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = request.principal ?? options.fallbackPrincipal?.(request);
    if (principal === undefined)
      throw new AppError('UNAUTHORIZED', 'send Authorization: Bearer <token> to use /mcp');
    const server = makeServer(
      (op, input) => invokeOperation(op, principal, services, input),
      request.log,
    );
    // No session id generator: stateless. JSON answers, as no call streams progress.
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    // The transport writes the response itself.
    reply.hijack();
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  // Stateless: no server-to-client stream to open (GET) and no session to end (DELETE).
  app.route({
    method: ['GET', 'DELETE'],
    url: '/mcp',
    handler: (_request, reply) =>
      reply
        .status(405)
        .header('allow', 'POST')
        .send({
          jsonrpc: '2.0',
          error: { code: -32000, message: 'method not allowed: this MCP endpoint is stateless' },
          id: null,
        }),
  });
}
