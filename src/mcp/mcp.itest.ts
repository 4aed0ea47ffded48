// The MCP endpoint of a real coordinator, driven by the SDK's own client over Streamable HTTP;
// and the authorization rule for a read-only principal (a stub authenticator).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { registerMcpRoute } from '../api/mcp-route.ts';
import { buildBareApiServer, requireAuthentication } from '../api/server.ts';
import { dataDirPaths } from '../config/data-dir.ts';
import { silentLogger } from '../observability/logger.ts';
import type { Principal } from '../operations/kit.ts';
import { OPERATIONS } from '../operations/registry.ts';
import type { OperationServices } from '../operations/services.ts';
import { loopbackCluster } from '../../test/helpers/loopback-cluster.ts';
import { describeTools } from './tools.ts';

async function connect(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'crosscheck-test', version: '0.0.0' });
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  return client;
}

function textOf(result: CallToolResult): string {
  const [first] = result.content;
  assert.equal(first?.type, 'text');
  return first.type === 'text' ? first.text : '';
}

function call(client: Client, name: string, args: Record<string, unknown>) {
  return client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
}

describe('MCP over Streamable HTTP on a real coordinator', { timeout: 60_000 }, () => {
  const cluster = loopbackCluster({ graceCount: 10 });
  let mcpUrl: string;
  let token: string;
  let client: Client;
  let target: http.Server;
  let targetUrl: string;

  before(async () => {
    target = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
    const { dataDir, node } = await cluster.startCoordinator('coord', 'eu-west');
    token = fs.readFileSync(dataDirPaths(dataDir).apiToken, 'utf8').trim();
    mcpUrl = `${node.apiUrl}/mcp`;
    client = await connect(mcpUrl, token);
  });

  after(async () => {
    await client?.close();
    await cluster.cleanup();
    target.closeAllConnections();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  });

  it('lists the registry’s MCP operations as tools', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      describeTools(OPERATIONS).map((t) => t.name),
    );
    const status = tools.find((t) => t.name === 'monitors_status');
    assert.equal(status?.annotations?.readOnlyHint, true);
    const create = tools.find((t) => t.name === 'monitors_create');
    assert.equal(create?.annotations?.readOnlyHint, false);
  });

  it('creates a monitor, then lists it, shows its status and lists incidents', async () => {
    const created = await call(client, 'monitors_create', {
      name: 'web',
      type: 'http',
      target: targetUrl,
      intervalMs: '30s',
    });
    assert.equal(created.isError, undefined, textOf(created));
    const monitor = JSON.parse(textOf(created)) as { id: string; name: string; intervalMs: number };
    assert.equal(monitor.name, 'web');
    assert.equal(monitor.intervalMs, 30_000);

    const listed = await call(client, 'monitors_list', { limit: 10 });
    const page = JSON.parse(textOf(listed)) as { items: { id: string }[] };
    assert.deepEqual(
      page.items.map((m) => m.id),
      [monitor.id],
    );
    assert.deepEqual(listed.structuredContent, page);

    const status = await call(client, 'monitors_status', {});
    assert.equal(status.isError, undefined, textOf(status));
    assert.match(textOf(status), new RegExp(monitor.id));

    const incidents = await call(client, 'incidents_list', { active: true });
    assert.equal(incidents.isError, undefined, textOf(incidents));
    assert.deepEqual((JSON.parse(textOf(incidents)) as { items: unknown[] }).items, []);

    const paused = await call(client, 'monitors_pause', { id: monitor.id });
    assert.equal((JSON.parse(textOf(paused)) as { paused: boolean }).paused, true);
  });

  it('answers bad input with a tool error naming the field', async () => {
    const result = await call(client, 'monitors_create', {
      name: 'bad',
      type: 'http',
      target: targetUrl,
      intervalMs: 'soon',
    });
    assert.equal(result.isError, true);
    const body = JSON.parse(textOf(result)) as {
      error: { code: string; issues: { path: string }[] };
    };
    assert.equal(body.error.code, 'VALIDATION');
    assert.ok(
      body.error.issues.some((i) => i.path === 'intervalMs'),
      textOf(result),
    );
  });

  it('answers an unknown monitor with NOT_FOUND as a tool error', async () => {
    const result = await call(client, 'monitors_get', { id: 'mon_nope' });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /NOT_FOUND/);
  });

  it('refuses a client without the token or with a wrong one', async () => {
    await assert.rejects(connect(mcpUrl), /401|UNAUTHORIZED/);
    await assert.rejects(connect(mcpUrl, 'x'.repeat(token.length)), /401|UNAUTHORIZED/);
  });

  it('is stateless: no stream to open with GET', async () => {
    const response = await fetch(mcpUrl, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
  });
});

describe('MCP authorization follows the principal', { timeout: 30_000 }, () => {
  const readOnly: Principal = {
    userId: 'u1',
    name: 'reader',
    role: 'editor',
    access: 'read',
    via: 'token',
  };
  const app = buildBareApiServer(silentLogger());
  let client: Client;

  before(async () => {
    requireAuthentication(app, () => Promise.resolve(readOnly));
    // Only the list is reached: authorize() refuses the write before any service runs.
    const services = {
      monitors: { list: () => Promise.resolve([]) },
    } as unknown as OperationServices;
    registerMcpRoute(app, OPERATIONS, services);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    client = await connect(`${url}/mcp`);
  });

  after(async () => {
    await client?.close();
    await app.close();
  });

  it('lets a read-only token read', async () => {
    const result = await call(client, 'monitors_list', {});
    assert.equal(result.isError, undefined, textOf(result));
  });

  it('refuses a read-only token a write tool with FORBIDDEN', async () => {
    const result = await call(client, 'monitors_create', {
      name: 'x',
      type: 'http',
      target: 'http://127.0.0.1/',
    });
    assert.equal(result.isError, true);
    const body = JSON.parse(textOf(result)) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'FORBIDDEN');
    assert.match(body.error.message, /read-only/);
  });
});
