import { AppError } from '../../lib/errors.ts';

/** Where a stored value came from, so a corrupt row can be found by hand. */
export interface ColumnRef {
  table: string;
  column: string;
}

/** Throws the one error a corrupt stored value turns into. */
export function corrupt(where: ColumnRef, reason: string): AppError {
  return new AppError('INTERNAL', `corrupt value in ${where.table}.${where.column}: ${reason}`);
}

/** Parses a JSON text column, naming the table and column when the text is not JSON. */
export function parseJson(text: string, where: ColumnRef): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('INTERNAL', `corrupt JSON in ${where.table}.${where.column}`, {
      cause: error,
    });
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a column that must hold a JSON object. */
export function parseJsonObject(text: string, where: ColumnRef): Record<string, unknown> {
  const value = parseJson(text, where);
  if (!isRecord(value)) throw corrupt(where, 'expected a JSON object');
  return value;
}

/** Parses a column that must hold a JSON array. */
export function parseJsonArray(text: string, where: ColumnRef): unknown[] {
  const value = parseJson(text, where);
  if (!Array.isArray(value)) throw corrupt(where, 'expected a JSON array');
  return value as unknown[];
}

/** Parses a column that must hold a JSON array of strings. */
export function parseStringArray(text: string, where: ColumnRef): string[] {
  const items = parseJsonArray(text, where);
  if (!items.every((item) => typeof item === 'string')) {
    throw corrupt(where, 'expected an array of strings');
  }
  return items;
}

/** Narrows a stored text to one of the allowed values, or throws naming the column. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], where: ColumnRef): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw corrupt(where, `unexpected value ${JSON.stringify(value)}`);
}

/** Like `oneOf`, letting null through. */
export function oneOfOrNull<T extends string>(
  value: string | null,
  allowed: readonly T[],
  where: ColumnRef,
): T | null {
  return value === null ? null : oneOf(value, allowed, where);
}

/** Parses a column that must hold a JSON array of numbers. */
export function parseNumberArray(text: string, where: ColumnRef): number[] {
  const items = parseJsonArray(text, where);
  if (!items.every((item) => typeof item === 'number')) {
    throw corrupt(where, 'expected an array of numbers');
  }
  return items;
}
