import fs from 'node:fs';
import { z } from 'zod';
import { findChannel } from '../../alerts/registry.ts';
import { validationError, type FieldIssue } from '../../lib/errors.ts';

type JsonSchema = {
  type?: string | string[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
};

/** `--webhook-url` → `webhookUrl`. */
function keyOf(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function typesOf(schema: JsonSchema | undefined): Set<string> {
  if (schema === undefined) return new Set();
  const own = schema.type === undefined ? [] : [schema.type].flat();
  return new Set([...own, ...(schema.anyOf ?? []).flatMap((s) => [...typesOf(s)])]);
}

/** The channel's settings as JSON Schema properties, to type each flag's value. */
function settingProperties(type: string): Record<string, JsonSchema> {
  const channel = findChannel(type);
  if (channel === undefined) return {};
  const schema = z.toJSONSchema(channel.settingsSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const merged: Record<string, JsonSchema> = { ...schema.properties };
  // A union of setting shapes (Slack: webhook or bot token) offers the keys of every shape.
  for (const branch of schema.anyOf ?? []) Object.assign(merged, branch.properties);
  return merged;
}

function typedValue(text: string, schema: JsonSchema | undefined, flag: string): unknown {
  const types = typesOf(schema);
  if ((types.has('object') || types.has('array')) && /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw validationError([{ path: flag, message: 'is not valid JSON' }]);
    }
  }
  if (types.has('array') && !types.has('string')) return text.split(',').map((s) => s.trim());
  if ((types.has('number') || types.has('integer')) && !types.has('string')) {
    // Number('abc') is NaN, which JSON sends as null: an edit would remove the setting.
    const number = Number(text);
    if (text.trim() === '' || !Number.isFinite(number))
      throw validationError([{ path: flag, message: 'is not a number' }]);
    return number;
  }
  if (types.has('boolean') && !types.has('string')) return booleanValue(text, flag);
  return text;
}

const TRUE_WORDS = new Set(['true', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'no', '0']);

/** A typo (`--use-tls ture`) is an error, not a silent `false`. */
function booleanValue(text: string, flag: string): boolean {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw validationError([{ path: flag, message: 'must be true or false (yes/no, 1/0)' }]);
}

/**
 * A channel's settings from the flags left over by the command (`--url U --token-file F
 * --to a@x,b@y`): each flag names a setting in kebab-case, `--<setting>-file` reads a secret
 * from a file (`-` for stdin) so it stays out of `ps` and shell history, and values are typed
 * by the channel's schema. Every problem is reported at once, naming the flag.
 */
export function settingsFromFlags(type: string, args: readonly string[]): Record<string, unknown> {
  const properties = settingProperties(type);
  const settings: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      issues.push({
        path: arg,
        message: 'unexpected argument; settings are given as --<setting> <value>',
      });
      continue;
    }
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? args[++i];
    if (value === undefined) {
      issues.push({ path: `--${flag}`, message: 'needs a value' });
      continue;
    }
    const fromFile = flag.endsWith('-file') && !(keyOf(flag) in properties);
    const key = keyOf(fromFile ? flag.slice(0, -'-file'.length) : flag);
    if (!(key in properties)) {
      issues.push({
        path: `--${flag}`,
        message: `is not a setting of ${type} (settings: ${Object.keys(properties).join(', ')})`,
      });
      continue;
    }
    settings[key] = fromFile ? readSecret(value) : typedValue(value, properties[key], `--${flag}`);
  }
  if (issues.length > 0) throw validationError(issues);
  return settings;
}

/** The first line of a file, or of standard input for `-`. */
export function readSecret(file: string): string {
  return (fs.readFileSync(file === '-' ? 0 : file, 'utf8').split(/\r?\n/)[0] ?? '').trim();
}
