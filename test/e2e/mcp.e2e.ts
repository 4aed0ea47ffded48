// `crosscheck mcp` as an MCP client starts it: a real CLI process on stdio, talking to a real
// daemon through its API, driven by the SDK's own client.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { OPERATIONS } from '../../src/operations/registry.ts';
import { startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/crosscheck.js');

function textOf(result: CallToolResult): string {
  const [first] = result.content;
  return first?.type === 'text' ? first.text : '';
}

describe('crosscheck mcp over stdio', { timeout: 60_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess;
  let client: Client;
  let stderr = '';

  before(async () => {
    dataDir = tempDataDir();
    daemon = await startDaemon(dataDir);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--data-dir', dataDir],
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = new Client({ name: 'crosscheck-e2e', version: '0.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
    await daemon?.stop('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists one tool per MCP operation of the registry', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      OPERATIONS.filter((op) => op.mcp).map((op) => op.name.replaceAll('.', '_')),
    );
  });

  it('creates a monitor on the daemon and reads it back', async () => {
    const created = (await client.callTool({
      name: 'monitors_create',
      arguments: { name: 'local', type: 'tcp', target: '127.0.0.1:9', intervalMs: '1m' },
    })) as CallToolResult;
    assert.equal(created.isError, undefined, `${textOf(created)} ${stderr}`);
    const monitor = JSON.parse(textOf(created)) as { id: string; intervalMs: number };
    assert.equal(monitor.intervalMs, 60_000);
    const got = (await client.callTool({
      name: 'monitors_get',
      arguments: { id: monitor.id },
    })) as CallToolResult;
    assert.equal((JSON.parse(textOf(got)) as { id: string }).id, monitor.id);
    // A page: the client checks its structured content against the tool's output schema.
    const listed = (await client.callTool({
      name: 'monitors_list',
      arguments: { limit: '10' },
    })) as CallToolResult;
    assert.deepEqual(
      (listed.structuredContent as { items: { id: string }[] }).items.map((m) => m.id),
      [monitor.id],
    );
  });

  it('names the field of bad input, in the client’s own words', async () => {
    const result = (await client.callTool({
      name: 'monitors_create',
      arguments: { name: 'bad', type: 'tcp', target: '127.0.0.1:9', intervalMs: 'soon' },
    })) as CallToolResult;
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
});
