import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { OPERATIONS } from '../registry.ts';

type JsonSchema = Record<string, unknown>;

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Paths inside a JSON Schema where a value is left undescribed (`{}`, i.e. anything), except
 * `additionalProperties`: a record of channel settings or check options is open by design.
 */
function untypedPaths(schema: unknown, path = '$'): string[] {
  if (!isObject(schema)) return [];
  if (Object.keys(schema).every((key) => key === 'description' || key === '$schema')) return [path];
  const found: string[] = [];
  const properties = schema['properties'];
  if (isObject(properties)) {
    for (const [key, value] of Object.entries(properties))
      found.push(...untypedPaths(value, `${path}.${key}`));
  }
  if (schema['items'] !== undefined) found.push(...untypedPaths(schema['items'], `${path}[]`));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options))
      options.forEach((option, i) => found.push(...untypedPaths(option, `${path}|${i}`)));
  }
  const extra = schema['additionalProperties'];
  if (isObject(extra) && Object.keys(extra).length > 0)
    found.push(...untypedPaths(extra, `${path}{}`));
  return found;
}

function outputJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
}

describe('operation output schemas', () => {
  it('has operations to check', () => {
    assert.ok(OPERATIONS.length > 10);
  });

  for (const op of OPERATIONS) {
    it(`${op.name}: its output converts to a JSON Schema with every field typed`, () => {
      const schema = outputJsonSchema(op.output);
      if (op.http.status === 204) {
        // No body: nothing to describe.
        assert.equal(op.output.safeParse(undefined).success, true);
        return;
      }
      assert.deepEqual(untypedPaths(schema), [], `${op.name} leaves fields untyped`);
    });
  }

  it('finds an untyped field where there is one', () => {
    const loose = outputJsonSchema(z.object({ a: z.object({ b: z.unknown() }) }));
    assert.deepEqual(untypedPaths(loose), ['$.a.b']);
    assert.deepEqual(untypedPaths(outputJsonSchema(z.unknown())), ['$']);
  });
});
