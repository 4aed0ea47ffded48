import { isSchema, propertiesOf, requiredOf, type JsonSchema } from './kit/settings-schema.ts';

// Reading a channel's settings JSON Schema for its docs page: one table row per setting
// (nested objects as `parent.child` rows) and an example built from the required ones.

/** One row of a channel page's settings table. */
export interface SettingRow {
  key: string;
  type: string;
  required: boolean;
  default: string;
  secret: boolean;
  description: string;
}

/** The rows of one object schema, nested object settings flattened to `parent.child`. */
export function settingRows(schema: JsonSchema, prefix = ''): SettingRow[] {
  const required = new Set(requiredOf(schema));
  return Object.entries(propertiesOf(schema)).flatMap(([name, property]) => {
    if (!isSchema(property)) return [];
    const key = `${prefix}${name}`;
    const row: SettingRow = {
      key,
      type: typeText(property),
      required: required.has(name),
      default: 'default' in property ? JSON.stringify(property['default']) : '',
      secret: property['writeOnly'] === true,
      description: typeof property['description'] === 'string' ? property['description'] : '',
    };
    const nested = property['type'] === 'object' ? settingRows(property, `${key}.`) : [];
    return [row, ...nested];
  });
}

/** A short, readable type: `URL`, `string, ≥ 16 chars`, `integer 100–60000`, `"a" or "b"`. */
export function typeText(schema: JsonSchema): string {
  const union = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(union)) return union.filter(isSchema).map(typeText).join(' or ');
  if ('const' in schema) return JSON.stringify(schema['const']);
  if (Array.isArray(schema['enum'])) {
    return schema['enum'].map((value) => JSON.stringify(value)).join(' or ');
  }
  switch (schema['type']) {
    case 'string':
      return stringText(schema);
    case 'integer':
    case 'number':
      return numberText(schema, schema['type']);
    case 'boolean':
      return 'boolean';
    case 'array':
      return arrayText(schema);
    case 'object':
      return objectText(schema);
    default:
      return 'any';
  }
}

const FORMAT_NAMES: Record<string, string> = {
  uri: 'URL',
  email: 'email address',
  'date-time': 'ISO 8601 date-time',
};

function stringText(schema: JsonSchema): string {
  const format = typeof schema['format'] === 'string' ? FORMAT_NAMES[schema['format']] : undefined;
  const bounds = [
    typeof schema['minLength'] === 'number' && schema['minLength'] > 1
      ? `≥ ${schema['minLength']} chars`
      : '',
    typeof schema['maxLength'] === 'number' ? `≤ ${schema['maxLength']} chars` : '',
  ].filter((part) => part !== '');
  return [format ?? 'string', ...bounds].join(', ');
}

function numberText(schema: JsonSchema, type: 'integer' | 'number'): string {
  const min = schema['minimum'];
  const max = schema['maximum'];
  if (typeof min === 'number' && typeof max === 'number') return `${type} ${min}–${max}`;
  if (typeof min === 'number') return `${type} ≥ ${min}`;
  if (typeof max === 'number') return `${type} ≤ ${max}`;
  return type;
}

function arrayText(schema: JsonSchema): string {
  const items = isSchema(schema['items']) ? typeText(schema['items']) : 'any';
  const min = typeof schema['minItems'] === 'number' && schema['minItems'] > 0;
  return `list of ${items}${min ? `, at least ${String(schema['minItems'])}` : ''}`;
}

function objectText(schema: JsonSchema): string {
  const values = schema['additionalProperties'];
  if (isSchema(values)) return `object of ${typeText(values)}`;
  return 'object';
}

/**
 * An example settings object: every required setting with a placeholder (`<token>`, an
 * example URL…); optional settings are left out, so it is the smallest complete target.
 */
export function exampleSettings(schema: JsonSchema): Record<string, unknown> {
  const required = new Set(requiredOf(schema));
  const example: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(propertiesOf(schema))) {
    if (required.has(name) && isSchema(property)) example[name] = exampleValue(name, property);
  }
  return example;
}

function exampleValue(name: string, schema: JsonSchema): unknown {
  const union = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(union)) {
    const first: unknown = union[0];
    return isSchema(first) ? exampleValue(name, first) : null;
  }
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum'])) return schema['enum'][0];
  switch (schema['type']) {
    case 'string':
      return exampleString(name, schema);
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 1;
    case 'boolean':
      return true;
    case 'array': {
      const items = schema['items'];
      return isSchema(items) ? [exampleValue(name, items)] : [];
    }
    case 'object':
      return exampleSettings(schema);
    default:
      return `<${name}>`;
  }
}

function exampleString(name: string, schema: JsonSchema): string {
  if (schema['format'] === 'uri') return 'https://example.com/';
  if (schema['format'] === 'email') return 'ops@example.com';
  return `<${name}>`;
}
