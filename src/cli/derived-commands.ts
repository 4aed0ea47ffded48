import fs from 'node:fs';
import { Command } from 'commander';
import { z } from 'zod';
import { validationError } from '../lib/errors.ts';
import type { AnyOperation } from '../operations/kit.ts';
import { pathFields } from '../operations/kit.ts';
import { collectPages } from './backend.ts';
import type { CliContext } from './context.ts';
import { withBackend } from './context.ts';
import type { Output } from './output.ts';
import { printWarnings, renderTable } from './output.ts';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
};

/**
 * Fields whose value must not be typed on the command line, where `ps` and shell history show
 * it: the derived command reads them from a file (`--password-file`, `-` for stdin) instead.
 */
const SECRET_FIELDS = new Set(['password']);

/** The values a field accepts, when it is an enumeration (for the flag's help). */
function choicesOf(schema: JsonSchema): unknown[] {
  return [...(schema.enum ?? []), ...(schema.anyOf ?? []).flatMap(choicesOf)];
}

/** The first line of a file, or of standard input for `-`. */
function readSecret(file: string): string {
  return (fs.readFileSync(file === '-' ? 0 : file, 'utf8').split(/\r?\n/)[0] ?? '').trim();
}

/** `intervalMs` → `interval-ms`: the flag of an input field. */
export function flagOf(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The JSON types a field accepts (unions flattened), to tell flags from valued options. */
function typesOf(schema: JsonSchema): Set<string> {
  const own = schema.type === undefined ? [] : [schema.type].flat();
  return new Set([...own, ...(schema.anyOf ?? []).flatMap((s) => [...typesOf(s)])]);
}

function inputSchema(op: AnyOperation): JsonSchema {
  return z.toJSONSchema(op.input as z.ZodType, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
}

/**
 * A flag's text as the field's value: JSON for objects and lists given as JSON, numbers for
 * numeric fields, text otherwise. The operation's schema judges the result and names the field.
 */
function flagValue(text: string, schema: JsonSchema): unknown {
  const types = typesOf(schema);
  if ((types.has('object') || types.has('array')) && /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw validationError([{ path: 'flags', message: `not valid JSON: ${text}` }]);
    }
  }
  if (types.has('array') && !types.has('string')) return text.split(',').map((s) => s.trim());
  if ((types.has('number') || types.has('integer')) && !types.has('string')) return Number(text);
  return text;
}

function isPage(value: unknown): value is { items: unknown[]; nextCursor: string | null } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { items?: unknown }).items)
  );
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A result as shown on stdout once its warnings went to stderr (a delete's: nothing left). */
function withoutWarnings(result: unknown): unknown {
  if (typeof result !== 'object' || result === null || !('warnings' in result)) return result;
  const { warnings: _shown, ...rest } = result;
  return Object.keys(rest).length === 0 ? undefined : rest;
}

/** Items as a table of their plain fields; anything else as indented JSON. */
function printResult(out: Output, result: unknown): void {
  const items = isPage(result) ? result.items : Array.isArray(result) ? result : undefined;
  if (items === undefined) return out.json(result ?? null);
  if (items.length === 0) return out.line('Nothing.');
  const first = items[0] as Record<string, unknown>;
  const columns = Object.keys(first).filter((key) => typeof first[key] !== 'object');
  out.line(
    renderTable(
      out,
      columns.map((c) => flagOf(c).toUpperCase()),
      items.map((item) => columns.map((c) => cell((item as Record<string, unknown>)[c]))),
    ),
  );
}

/** The command of one operation: path fields as arguments, every other field as a flag. */
function commandFor(op: AnyOperation, word: string, ctx: CliContext): Command {
  const schema = inputSchema(op);
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const positional = pathFields(op.http.path);
  const command = new Command(word).description(op.summary);
  for (const field of positional) command.argument(`<${field}>`, properties[field]?.description);
  const flags = Object.entries(properties).filter(
    ([field]) => !positional.includes(field) && field !== 'cursor',
  );
  for (const [field, property] of flags) {
    const types = typesOf(property);
    const choices = choicesOf(property);
    const help = [
      property.description ?? field,
      choices.length > 0 ? `(one of: ${choices.join(', ')})` : '',
      required.has(field) ? '(required)' : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (SECRET_FIELDS.has(field)) {
      command.option(`--${flagOf(field)}-file <file>`, `${help}; read from this file, - for stdin`);
      continue;
    }
    command.option(
      types.size === 1 && types.has('boolean')
        ? `--${flagOf(field)}`
        : `--${flagOf(field)} <value>`,
      help,
    );
  }
  command.option('--json', 'print JSON');
  command.action(async (...args: unknown[]) => {
    const self = args.at(-1) as Command;
    const options = self.opts<Record<string, unknown>>();
    const input: Record<string, unknown> = {};
    positional.forEach((field, index) => (input[field] = args[index]));
    for (const [field, property] of flags) {
      if (SECRET_FIELDS.has(field)) {
        const file = options[`${field}File`];
        if (typeof file === 'string') input[field] = readSecret(file);
        continue;
      }
      // Commander names an option by its flag in camelCase: the field's own name.
      const given = options[field];
      if (given === undefined) continue;
      input[field] = typeof given === 'string' ? flagValue(given, property) : given;
    }
    await withBackend(self, ctx, async (backend) => {
      // A list takes a cursor: show every page up to the limit asked for.
      const result =
        'cursor' in properties
          ? await collectPages(
              backend,
              op as never,
              input as never,
              Number(input.limit ?? Infinity),
            )
          : await backend.call(op, input);
      printWarnings(ctx.out, result);
      // Lists print as an array of every item, like the hand-written list commands.
      if (options.json === true)
        return ctx.out.json(isPage(result) ? result.items : (result ?? null));
      printResult(ctx.out, withoutWarnings(result));
    });
  });
  return command;
}

function childNamed(parent: Command, name: string): Command | undefined {
  return parent.commands.find((c) => c.name() === name);
}

/**
 * Adds a command for every operation no hand-written command serves (its `cli` words are not in
 * the tree yet), so a new operation reaches the CLI with no CLI code; hand-written commands are
 * for views that deserve their own formatting.
 */
export function addDerivedCommands(
  program: Command,
  operations: readonly AnyOperation[],
  ctx: CliContext,
): void {
  for (const op of operations) {
    const words = [...op.cli];
    const leaf = words.pop();
    if (leaf === undefined) continue;
    let parent = program;
    for (const word of words) {
      const existing = childNamed(parent, word);
      parent = existing ?? derivedGroup(parent, word);
    }
    if (childNamed(parent, leaf) !== undefined) continue;
    parent.addCommand(commandFor(op, leaf, ctx));
    if (derivedGroups.has(parent))
      parent.description(`${parent.name()}: ${parent.commands.map((c) => c.name()).join(', ')}`);
  }
}

/** Groups this module made (their help lists their subcommands), not hand-written ones. */
const derivedGroups = new WeakSet<Command>();

function derivedGroup(parent: Command, word: string): Command {
  const group = parent.command(word);
  derivedGroups.add(group);
  return group;
}
