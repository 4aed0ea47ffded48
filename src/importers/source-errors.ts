import type { z } from 'zod';
import { AppError, validationError } from '../lib/errors.ts';
import type { FieldIssue } from '../lib/errors.ts';

/**
 * Bad input, named by file and field: `backup.json: monitorList[2].interval: expected a number`.
 * Readers throw it before anything is mapped, so a broken file imports nothing.
 */
export function sourceError(file: string, issues: readonly FieldIssue[]): AppError {
  const named = issues.map((issue) => ({
    path: issue.path === '' ? file : `${file}: ${issue.path}`,
    message: issue.message,
  }));
  return validationError(named);
}

/** Zod issues with JSON-style paths (`monitorList[2].interval`). */
export function sourceIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.reduce<string>(
      (path, key) =>
        typeof key === 'number'
          ? `${path}[${key}]`
          : path === ''
            ? String(key)
            : `${path}.${String(key)}`,
      prefix,
    ),
    message: issue.message,
  }));
}

/** A file that cannot be read at all (missing, unreadable, not the format). */
export function unreadableFile(file: string, why: string, cause?: unknown): AppError {
  return new AppError('VALIDATION', `${file}: ${why}`, {
    issues: [{ path: file, message: why }],
    cause,
  });
}
