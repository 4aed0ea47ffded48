/**
 * The part of JSON Schema (draft 2020-12, as zod's z.toJSONSchema emits it) that forms need,
 * and how one property becomes one kind of field. Pure: no rendering, no I/O.
 */

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  'x-secret'?: string;
}

/** What a property is edited as. */
export type FieldKind =
  | { kind: 'text'; input: 'text' | 'url' | 'email'; schema: JsonSchema; numeric: boolean }
  | { kind: 'number'; schema: JsonSchema; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'select'; options: string[] }
  | { kind: 'list'; item: JsonSchema }
  | { kind: 'choices'; options: string[] }
  | { kind: 'map'; value: JsonSchema }
  | { kind: 'object'; schema: JsonSchema };

function typesOf(schema: JsonSchema): string[] {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** The alternatives of a union, without `null` (an empty field already means "none"). */
export function alternatives(schema: JsonSchema): JsonSchema[] {
  const union = schema.anyOf ?? schema.oneOf;
  if (union === undefined) return [schema];
  return union.filter((option) => !typesOf(option).includes('null') || typesOf(option).length > 1);
}

function literalText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function literalsOf(options: JsonSchema[]): string[] | undefined {
  const values: string[] = [];
  for (const option of options) {
    if (option.const !== undefined) values.push(literalText(option.const));
    else if (option.enum !== undefined) values.push(...option.enum.map(literalText));
    else return undefined;
  }
  return values;
}

function isMap(schema: JsonSchema): boolean {
  return (
    typesOf(schema).includes('object') &&
    schema.properties === undefined &&
    typeof schema.additionalProperties === 'object'
  );
}

function isStringArray(schema: JsonSchema): boolean {
  return typesOf(schema).includes('array') && schema.items !== undefined;
}

/**
 * Picks the field for a property. Unions pick the richest form a person can fill in: a map
 * (HTTP headers) over a list over text; a number-or-text union (durations like 30s) is text
 * sent as a number when it is all digits.
 */
export function fieldKindOf(schema: JsonSchema): FieldKind {
  const options = alternatives(schema);
  const literals = literalsOf(options);
  if (literals !== undefined) return { kind: 'select', options: literals };
  const map = options.find(isMap);
  if (map !== undefined && typeof map.additionalProperties === 'object')
    return { kind: 'map', value: map.additionalProperties };
  const list = options.find(isStringArray);
  if (list?.items !== undefined) {
    const itemLiterals = literalsOf(alternatives(list.items));
    if (itemLiterals !== undefined) return { kind: 'choices', options: itemLiterals };
    return { kind: 'list', item: list.items };
  }
  const types = options.flatMap(typesOf);
  const single = options.length === 1 ? options[0] : undefined;
  if (single !== undefined && types.length === 1) {
    if (types[0] === 'boolean') return { kind: 'boolean' };
    if (types[0] === 'integer' || types[0] === 'number')
      return { kind: 'number', schema: single, integer: types[0] === 'integer' };
    if (types[0] === 'object' && single.properties !== undefined)
      return { kind: 'object', schema: single };
  }
  const textual = options.find((option) => typesOf(option).includes('string')) ?? schema;
  const numeric = types.includes('number') || types.includes('integer');
  const input = textual.format === 'uri' ? 'url' : textual.format === 'email' ? 'email' : 'text';
  return { kind: 'text', input, schema: textual, numeric };
}

/** The object variants of a schema: one for a plain object, several for a union of objects. */
export function objectVariants(schema: JsonSchema): JsonSchema[] {
  const options = alternatives(schema);
  return options.every((option) => option.properties !== undefined) ? options : [schema];
}

/** A short name for a variant: the keys it requires. */
export function variantLabel(schema: JsonSchema): string {
  const required = schema.required ?? Object.keys(schema.properties ?? {}).slice(0, 1);
  return `With ${required.map(humanize).join(', ')}`;
}

/** "degradedThresholdMs" → "Degraded threshold ms": a label when the schema has no title. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function labelOf(key: string, schema: JsonSchema): string {
  return schema.title ?? humanize(key);
}

/** Whether a property is secret: the type or channel says so, or its schema carries x-secret. */
export function isSecret(key: string, schema: JsonSchema, secrets: ReadonlySet<string>): boolean {
  return secrets.has(key) || schema['x-secret'] !== undefined;
}

/** The object schema with only the properties `keep` accepts (a page lays out parts itself). */
export function pickProperties(schema: JsonSchema, keep: (key: string) => boolean): JsonSchema {
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).filter(([key]) => keep(key)),
  );
  const required = (schema.required ?? []).filter((key) => keep(key));
  return { ...schema, properties, required };
}
