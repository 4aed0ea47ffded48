import { z } from 'zod';
import type { ChannelDefinition, SecretKind } from '../types.ts';

/** A JSON Schema document or sub-schema, as plain JSON. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * A channel's settings as JSON Schema (draft 2020-12), for dashboard forms, config files and
 * the generated docs. It describes what may be written (`io: 'input'`): fields with a default
 * are optional. Secret settings carry `writeOnly: true` and `x-secret: <kind>` (and
 * `format: "password"` when they are plain strings), so a form never shows them back.
 */
export function channelSettingsJsonSchema(definition: ChannelDefinition<unknown>): JsonSchema {
  // `any` keeps the export total for refinements JSON Schema cannot say (a channel's own
  // checks still run when settings are parsed); the docs show such a field as `any`.
  const schema = z.toJSONSchema(definition.settingsSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  for (const objectSchema of objectBranches(schema)) {
    const properties = propertiesOf(objectSchema);
    for (const [key, kind] of Object.entries(definition.secrets)) {
      const property = properties[key];
      if (kind !== undefined && isSchema(property)) markSecret(property, kind);
    }
  }
  return schema;
}

function markSecret(property: JsonSchema, kind: SecretKind): void {
  property['writeOnly'] = true;
  property['x-secret'] = kind;
  if (property['type'] === 'string' && property['format'] === undefined) {
    property['format'] = 'password';
  }
}

/**
 * The object schemas a settings schema is made of: itself, or each branch of a top-level
 * union (a channel with two ways to connect, such as an incoming webhook or a bot token).
 */
export function objectBranches(schema: JsonSchema): JsonSchema[] {
  const branches = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(branches)) return branches.filter(isSchema).flatMap(objectBranches);
  return schema['type'] === 'object' ? [schema] : [];
}

/** The `properties` of an object schema (empty when it has none). */
export function propertiesOf(schema: JsonSchema): Record<string, unknown> {
  const properties = schema['properties'];
  return isSchema(properties) ? properties : {};
}

/** The `required` keys of an object schema. */
export function requiredOf(schema: JsonSchema): string[] {
  const required = schema['required'];
  return Array.isArray(required) ? required.filter((key) => typeof key === 'string') : [];
}

/** True for a JSON object (a schema or a `properties` map). */
export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
