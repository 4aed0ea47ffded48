import { z } from 'zod';
import type { CheckDefinition } from './types.ts';

/** A JSON Schema document or sub-schema, as plain JSON. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * A check type's options as JSON Schema (draft 2020-12) for generated forms, config files and
 * docs. It describes what may be written (`io: 'input'`), so the CLI's looser shapes (a header
 * as text, a duration as `500ms`) show as `anyOf` branches. Options are plain zod without
 * `.describe()`, so each property gets a `title` from its key and the `description` of the CLI
 * flag that fills it; defaults hidden behind a preprocess step on the input side are taken
 * from the output side. Secret options carry `x-secret` saying what is masked when shown.
 */
export function checkOptionsJsonSchema(definition: CheckDefinition<unknown>): JsonSchema {
  const input = toJsonSchema(definition.optionsSchema, 'input');
  const output = propertiesOf(toJsonSchema(definition.optionsSchema, 'output'));
  const flagHelp = new Map(definition.flags.map((flag) => [flag.key, flag.description]));
  const secrets = definition.secretOptions ?? {};
  for (const [key, property] of Object.entries(propertiesOf(input))) {
    if (!isSchema(property)) continue;
    const produced = output[key];
    if (property['default'] === undefined && isSchema(produced) && 'default' in produced) {
      property['default'] = produced['default'];
    }
    property['title'] ??= titleOf(key);
    const help = flagHelp.get(key);
    if (property['description'] === undefined && help !== undefined) {
      property['description'] = help;
    }
    const secret = secrets[key];
    if (secret !== undefined) property['x-secret'] = secret;
  }
  return input;
}

/** A check type's target as JSON Schema: text, validated by the type when the monitor is saved. */
export function checkTargetJsonSchema(definition: CheckDefinition<unknown>): JsonSchema {
  return toJsonSchema(definition.targetSchema, 'input');
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // `any` keeps the export total for refinements JSON Schema cannot say; the type's own
  // checks still run when the monitor is saved.
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
}

/** `degradedThresholdMs` → `Degraded threshold (ms)`, `maxRedirects` → `Max redirects`. */
export function titleOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/ ms$/, ' (ms)');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The `properties` of an object schema (empty when it has none). */
export function propertiesOf(schema: JsonSchema): Record<string, unknown> {
  const properties = schema['properties'];
  return isSchema(properties) ? properties : {};
}

/** True for a JSON object (a schema or a `properties` map). */
export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
