import { Option } from 'commander';
import type { Command } from 'commander';
import { allCheckFlags, checkTypeSchema, getCheck } from '../checks/registry.ts';
import type { CheckFlag, CheckType } from '../checks/types.ts';
import { parseDuration } from '../lib/duration.ts';
import type { FieldIssue } from '../lib/errors.ts';
import { AppError, validationError } from '../lib/errors.ts';

function longName(flag: CheckFlag): string {
  return flag.flags.split(/[ ,]+/).find((part) => part.startsWith('--')) ?? flag.flags;
}

/** Commander argument parser for repeatable flags: each use appends a value. */
export function collectRepeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Registers every check type's flags on a command (each distinct flag once). */
export function addCheckFlags(command: Command): void {
  for (const flag of allCheckFlags()) {
    const option = new Option(flag.flags, flag.description);
    if (flag.kind === 'list') option.argParser(collectRepeated);
    command.addOption(option);
  }
}

/**
 * Collects the check options the user gave on the command line for one check type. Flags of
 * other types are an error naming the flag; values are converted by the flag's kind.
 */
export function collectCheckOptions(command: Command, type: CheckType): Record<string, unknown> {
  const own = new Set(getCheck(type).flags.map((f) => f.flags));
  const options: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const flag of allCheckFlags()) {
    const attribute = new Option(flag.flags).attributeName();
    if (command.getOptionValueSource(attribute) !== 'cli') continue;
    const raw: unknown = command.getOptionValue(attribute);
    const name = longName(flag);
    if (!own.has(flag.flags)) {
      issues.push({ path: name, message: `does not apply to check type ${type}` });
      continue;
    }
    try {
      options[flag.key] = convert(flag, raw);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      issues.push({ path: name, message: error.message });
    }
  }
  if (issues.length > 0) throw validationError(issues);
  return options;
}

function convert(flag: CheckFlag, raw: unknown): unknown {
  switch (flag.kind) {
    case 'boolean':
      // `--no-x` flags arrive as false; the definition's key states the positive meaning.
      return longName(flag).startsWith('--no-') ? raw : raw === true;
    case 'int': {
      const value = Number(raw);
      if (!Number.isInteger(value))
        throw new AppError('VALIDATION', `expected a whole number, got "${String(raw)}"`);
      return value;
    }
    case 'duration': {
      const value = parseDuration(String(raw));
      if (value === undefined) {
        throw new AppError(
          'VALIDATION',
          `expected a duration like 500ms, 30s, 5m or 1h, got "${String(raw)}"`,
        );
      }
      return value;
    }
    case 'list':
      return Array.isArray(raw) ? raw : [raw];
    case 'string':
      return raw;
  }
}

/** Rewrites `options.<key>` paths in validation errors to the CLI flag the user typed. */
export function withFlagNames(error: unknown, type: CheckType): unknown {
  if (!(error instanceof AppError) || error.code !== 'VALIDATION') return error;
  const byKey = new Map(getCheck(type).flags.map((f) => [f.key, longName(f)]));
  const issues = error.issues.map((issue) => {
    const key = issue.path.replace(/^options\./, '').split('.')[0] ?? '';
    const flag = issue.path.startsWith('options.') ? byKey.get(key) : undefined;
    return flag ? { ...issue, path: flag } : issue;
  });
  return validationError(issues);
}

/** Parses a check type typed on the command line; `path` names the flag or argument. */
export function parseCheckType(value: string, path: string): CheckType {
  const parsed = checkTypeSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const known = checkTypeSchema.options.join(', ');
  throw validationError([{ path, message: `unknown check type "${value}" (one of ${known})` }]);
}

/** The option key a check type's flag fills, by the flag's name without dashes (`invert`). */
export function optionKeyForFlag(type: CheckType, name: string): string | undefined {
  return getCheck(type).flags.find((flag) => longName(flag) === `--${name}`)?.key;
}
