import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { AppError, validationError } from '../lib/errors.ts';
import { silentLogger } from '../observability/logger.ts';
import { defineOperation } from '../operations/kit.ts';
import type { AnyOperation } from '../operations/kit.ts';
import { OPERATIONS } from '../operations/registry.ts';
import { callTool, describeTools, toolName } from './tools.ts';

const log = silentLogger();

describe('MCP tools derived from the operation registry', () => {
  const tools = describeTools(OPERATIONS);

  it('offers exactly the operations marked mcp, in registry order', () => {
    assert.deepEqual(
      tools.map((tool) => tool.name),
      OPERATIONS.filter((op) => op.mcp).map((op) => op.name.replaceAll('.', '_')),
    );
    assert.ok(tools.length > 0);
    for (const op of OPERATIONS.filter((o) => !o.mcp))
      assert.ok(!tools.some((tool) => tool.name === toolName(op)), `${op.name} is not a tool`);
  });

  it('marks read tools read-only and writes destructive exactly as the registry says', () => {
    for (const op of OPERATIONS.filter((o) => o.mcp)) {
      const tool = tools.find((t) => t.name === toolName(op));
      assert.ok(tool, op.name);
      assert.equal(tool.annotations?.readOnlyHint, op.access === 'read', op.name);
      assert.equal(tool.annotations?.destructiveHint, op.destructive, op.name);
      assert.equal(tool.annotations?.openWorldHint, false, op.name);
      assert.ok(tool.description?.startsWith(op.summary), op.name);
    }
  });

  it('describes each input as an object schema with the operation’s fields', () => {
    for (const op of OPERATIONS.filter((o) => o.mcp)) {
      const tool = tools.find((t) => t.name === toolName(op));
      assert.equal(tool?.inputSchema.type, 'object', op.name);
      assert.deepEqual(
        Object.keys(tool.inputSchema.properties ?? {}).sort(),
        Object.keys((op.input as z.ZodObject).shape).sort(),
        op.name,
      );
    }
  });

  it('accepts text where the REST query string would (input side of transforms)', () => {
    const list = tools.find((t) => t.name === 'monitors_list');
    const limit = list?.inputSchema.properties?.limit as { anyOf?: unknown[] } | undefined;
    assert.ok(limit?.anyOf?.some((s) => (s as { type?: string }).type === 'string'));
  });
});

const echo = defineOperation({
  name: 'test.echo',
  summary: 'Echo',
  input: z.object({ word: z.string().min(2) }).strict(),
  output: z.object({ word: z.string() }),
  access: 'write',
  destructive: false,
  role: 'viewer',
  http: { method: 'PUT', path: '/echo' },
  cli: [],
  mcp: true,
  offline: false,
  run: (_ctx, input) => Promise.resolve(input),
});
const ops: AnyOperation[] = [echo];

describe('calling a tool', () => {
  it('returns the output as JSON text and structured content', async () => {
    const result = await callTool(ops, (_op, input) => Promise.resolve(input), log, 'test_echo', {
      word: 'hi',
    });
    assert.equal(result.isError, undefined);
    assert.deepEqual(result.structuredContent, { word: 'hi' });
    assert.deepEqual(result.content, [{ type: 'text', text: '{"word":"hi"}' }]);
  });

  it('declares the output schema when the output is an object, and idempotency for PUT', () => {
    const [tool] = describeTools(ops);
    assert.equal(tool?.outputSchema?.type, 'object');
    assert.equal(tool?.annotations?.idempotentHint, true);
  });

  it('turns an AppError into a tool error with its code and named fields', async () => {
    const failing = () => Promise.reject(validationError([{ path: 'word', message: 'too short' }]));
    const result = await callTool(ops, failing, log, 'test_echo', { word: 'h' });
    assert.equal(result.isError, true);
    const [content] = result.content;
    assert.equal(content?.type, 'text');
    const body = JSON.parse(content?.type === 'text' ? content.text : '') as {
      error: { code: string; issues: { path: string }[] };
    };
    assert.equal(body.error.code, 'VALIDATION');
    assert.deepEqual(
      body.error.issues.map((i) => i.path),
      ['word'],
    );
  });

  it('hides the message of an unexpected error', async () => {
    const result = await callTool(
      ops,
      () => Promise.reject(new Error('secret path /etc/x')),
      log,
      'test_echo',
      {},
    );
    assert.equal(result.isError, true);
    assert.doesNotMatch(JSON.stringify(result.content), /secret/);
    assert.match(JSON.stringify(result.content), /INTERNAL/);
  });

  it('refuses an unknown tool as a protocol error', async () => {
    await assert.rejects(
      callTool(ops, () => Promise.reject(new AppError('INTERNAL', 'unused')), log, 'nope', {}),
      /unknown tool nope/,
    );
  });
});
