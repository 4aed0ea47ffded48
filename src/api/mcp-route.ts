import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { mcpServerFactory } from '../mcp/server.ts';
import { invokeOperation } from '../operations/invoke.ts';
import type { AnyOperation } from '../operations/kit.ts';
import type { OperationServices } from '../operations/services.ts';

/**
 * Serves the registry's MCP tools over Streamable HTTP at `/mcp`, stateless: each POST gets its
 * own server and transport, so no session outlives a request and every call is authorized
 * with the token it came with. Tools run `invokeOperation` for the request's principal.
 */
export function registerMcpRoute(
  app: FastifyInstance,
  operations: readonly AnyOperation[],
  services: OperationServices,
): void {
  const makeServer = mcpServerFactory(operations);
  app.post('/mcp', async (request: FastifyRequest, reply: FastifyReply) => {
    // The server's auth hook has resolved the bearer token; a route without it refuses.
    const principal = request.principal;
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
