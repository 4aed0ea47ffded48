import type { z } from 'zod';
import type { FieldIssue } from '../lib/errors.ts';
import type { ConfigIssue, EnvLookup, ParsedConfig } from './document.ts';
import { parseConfigText } from './document.ts';
import type { ConfigFile } from './schema.ts';
import { configFileSchema, splitPath } from './schema.ts';

export type { ConfigIssue, EnvLookup } from './document.ts';

/** A file ready to apply, or every problem it has. */
export type LoadedConfig =
  { ok: true; config: ConfigFile; parsed: ParsedConfig } | { ok: false; issues: ConfigIssue[] };

/**
 * Parses, substitutes `${ENV}` and validates a file with the operations' own schemas, collecting
 * every problem (syntax, missing variables, fields, cross-field rules, duplicate keys) at once,
 * in text order.
 */
export function loadConfigText(file: string, text: string, env: EnvLookup): LoadedConfig {
  const { parsed, issues } = parseConfigText(file, text, env);
  if (issues.length > 0) return { ok: false, issues: sortIssues(issues) };
  const result = configFileSchema.safeParse(parsed.value ?? {});
  if (!result.success) return { ok: false, issues: locateZodIssues(parsed, result.error) };
  return { ok: true, config: result.data, parsed };
}

function locateZodIssues(parsed: ParsedConfig, error: z.ZodError): ConfigIssue[] {
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const id = `${path.join('.')}\u0000${issue.message}`;
    if (seen.has(id)) continue; // the monitor builder re-reports what the schema found
    seen.add(id);
    issues.push(parsed.locate(path, issue.message));
  }
  return sortIssues(issues);
}

/** Issues an operation reported by field path (`document.monitors.0.target`), placed in the text. */
export function locateFieldIssues(
  parsed: ParsedConfig,
  fieldIssues: readonly FieldIssue[],
  prefix: string,
): ConfigIssue[] {
  return sortIssues(
    fieldIssues.map((issue) => {
      const path =
        issue.path === prefix
          ? ''
          : issue.path.startsWith(`${prefix}.`)
            ? issue.path.slice(prefix.length + 1)
            : issue.path;
      return parsed.locate(splitPath(path), issue.message);
    }),
  );
}

/** `file:line:col path message`, the one form every issue is printed in. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.col}` : issue.file;
  return issue.path === ''
    ? `${where} ${issue.message}`
    : `${where} ${issue.path} ${issue.message}`;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.col - b.col);
}
