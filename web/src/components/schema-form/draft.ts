/**
 * A form's draft: what the person typed, per property, in the shape its field edits (text as
 * text, lists as lists, maps as rows). Built from a schema and a value, checked against the
 * schema, and turned back into the JSON the API takes. Pure.
 */
import type { JsonSchema } from './json-schema.ts';
import { fieldKindOf, isSecret } from './json-schema.ts';

export interface KeyValue {
  key: string;
  value: string;
}

/** A secret the API masks: left as it is unless the person replaces it. */
export class KeptSecret {
  readonly kept = true;
}

export type DraftValue = string | boolean | string[] | KeyValue[] | Draft | KeptSecret;
export interface Draft {
  [key: string]: DraftValue | undefined;
}

/**
 * How empty fields are sent: `create` leaves them out; `merge` (options, channel settings: a
 * JSON merge patch) sends null to remove the key; `replace` (a record's own fields) sends
 * null where the schema allows it and empty lists and maps as such.
 */
export type PayloadMode = 'create' | 'merge' | 'replace';

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function asText(value: DraftValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

function asList(value: DraftValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}

function asRows(value: DraftValue | undefined): KeyValue[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'object') : [];
}

function asDraft(value: DraftValue | undefined): Draft {
  return value !== undefined &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof KeptSecret)
    ? value
    : {};
}

export const draftAccess = { asText, asList, asRows, asDraft };

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(textOf).join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The draft for an object schema: the value's fields when editing, else the defaults. With
 * `masked`, secrets the value holds start as "kept" (the API only ever shows them masked).
 */
export function draftOf(
  schema: JsonSchema,
  value: Record<string, unknown> | undefined,
  secrets: ReadonlySet<string>,
  masked: boolean,
): Draft {
  const draft: Draft = {};
  const fallback = asRecord(schema.default);
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const given = value === undefined ? (property.default ?? fallback?.[key]) : value[key];
    if (masked && given !== undefined && given !== null && isSecret(key, property, secrets)) {
      draft[key] = new KeptSecret();
      continue;
    }
    const field = fieldKindOf(property);
    switch (field.kind) {
      case 'boolean':
        draft[key] = given === true;
        break;
      case 'list':
      case 'choices':
        draft[key] = Array.isArray(given)
          ? given.map(String)
          : typeof given === 'string'
            ? [given]
            : [];
        break;
      case 'map':
        draft[key] = Object.entries(asRecord(given) ?? {}).map(([k, v]) => ({
          key: k,
          value: String(v),
        }));
        break;
      case 'object':
        draft[key] = draftOf(
          { ...field.schema, default: field.schema.default ?? property.default },
          asRecord(given),
          secrets,
          masked,
        );
        break;
      default:
        draft[key] = textOf(given);
    }
  }
  return draft;
}

function textProblem(text: string, schema: JsonSchema, input: string): string | undefined {
  if (schema.minLength !== undefined && text.length < schema.minLength)
    return `must be at least ${schema.minLength} characters`;
  if (schema.maxLength !== undefined && text.length > schema.maxLength)
    return `must be at most ${schema.maxLength} characters`;
  if (input === 'url' && URL.parse(text) === null) return 'must be a URL (https://…)';
  if (schema.pattern !== undefined) {
    try {
      if (!new RegExp(schema.pattern, 'u').test(text)) return 'has the wrong form';
    } catch {
      // A pattern this browser cannot compile: the server still checks it.
    }
  }
  return undefined;
}

function numberProblem(text: string, schema: JsonSchema, integer: boolean): string | undefined {
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n)) return 'must be a number';
  if (integer && !Number.isInteger(n)) return 'must be a whole number';
  if (schema.minimum !== undefined && n < schema.minimum)
    return `must be at least ${schema.minimum}`;
  if (schema.exclusiveMinimum !== undefined && n <= schema.exclusiveMinimum)
    return `must be more than ${schema.exclusiveMinimum}`;
  if (schema.maximum !== undefined && n > schema.maximum)
    return `must be at most ${schema.maximum}`;
  return undefined;
}

/** Every problem the schema itself can see, keyed by field path (`options.keyword`). */
export function problemsOf(
  schema: JsonSchema,
  draft: Draft,
  path: string,
  skip: ReadonlySet<string> = new Set(),
): Record<string, string> {
  const problems: Record<string, string> = {};
  const required = new Set(schema.required ?? []);
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (skip.has(key)) continue;
    const value = draft[key];
    if (value instanceof KeptSecret) continue;
    const at = path === '' ? key : `${path}.${key}`;
    const field = fieldKindOf(property);
    let problem: string | undefined;
    if (field.kind === 'object') {
      Object.assign(problems, problemsOf(field.schema, asDraft(value), at));
      continue;
    }
    if (field.kind === 'list' || field.kind === 'choices') {
      const items = asList(value);
      const list = property.minItems !== undefined ? property : undefined;
      if (required.has(key) && items.length === 0) problem = 'required';
      else if (list?.minItems !== undefined && items.length > 0 && items.length < list.minItems)
        problem = `needs at least ${list.minItems}`;
      else if (field.kind === 'list')
        for (const item of items) {
          const itemProblem = textProblem(item, field.item, 'text');
          if (itemProblem !== undefined) problem = `“${item}” ${itemProblem}`;
        }
    } else if (field.kind === 'map') {
      const rows = asRows(value);
      if (required.has(key) && rows.length === 0) problem = 'required';
      for (const row of rows) {
        if (row.key.trim() === '') problem = 'every row needs a name';
        const valueProblem = textProblem(row.value, field.value, 'text');
        if (valueProblem !== undefined) problem = `${row.key}: ${valueProblem}`;
      }
    } else if (field.kind !== 'boolean') {
      const text = asText(value);
      if (text === '') problem = required.has(key) ? 'required' : undefined;
      else if (field.kind === 'number') problem = numberProblem(text, field.schema, field.integer);
      else if (field.kind === 'text' && !(field.numeric && /^\d+$/.test(text)))
        problem = textProblem(text, field.schema, field.input);
    }
    if (problem !== undefined) problems[at] = problem;
  }
  return problems;
}

function allowsNull(schema: JsonSchema): boolean {
  const union = schema.anyOf ?? schema.oneOf ?? [schema];
  return union.some((option) =>
    Array.isArray(option.type) ? option.type.includes('null') : option.type === 'null',
  );
}

/** The JSON for a draft; see PayloadMode for how empty fields go. */
export function payloadOf(
  schema: JsonSchema,
  draft: Draft,
  mode: PayloadMode,
): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const value = draft[key];
    if (value === undefined || value instanceof KeptSecret) continue;
    const field = fieldKindOf(property);
    const empty = (collection: unknown): void => {
      if (mode === 'merge') payload[key] = null;
      else if (mode === 'replace')
        payload[key] = collection ?? (allowsNull(property) ? null : undefined);
      if (payload[key] === undefined) delete payload[key];
    };
    switch (field.kind) {
      case 'boolean':
        payload[key] = value === true;
        break;
      case 'list':
      case 'choices': {
        const items = asList(value);
        if (items.length > 0) payload[key] = items;
        else empty([]);
        break;
      }
      case 'map': {
        const rows = asRows(value).filter((row) => row.key.trim() !== '');
        if (rows.length > 0)
          payload[key] = Object.fromEntries(rows.map((row) => [row.key.trim(), row.value]));
        else empty({});
        break;
      }
      case 'object': {
        const inner = payloadOf(field.schema, asDraft(value), mode === 'merge' ? 'create' : mode);
        if (Object.keys(inner).length > 0) payload[key] = inner;
        break;
      }
      default: {
        const text = asText(value).trim();
        if (text === '') empty(undefined);
        else if (
          field.kind === 'number' ||
          (field.kind === 'text' && field.numeric && /^\d+$/.test(text))
        )
          payload[key] = Number(text);
        else payload[key] = text;
      }
    }
  }
  return payload;
}
