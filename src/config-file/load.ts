import type { FieldIssue } from '../lib/errors.ts';
import type { ConfigIssue, EnvLookup, ParsedConfig } from './document.ts';
import { parseConfigText } from './document.ts';
import type { ConfigFile } from './schema.ts';
import { splitPath } from './schema.ts';
import type { Pace } from './validate.ts';
import { validateConfigDocument } from './validate.ts';
import { yieldToEventLoop } from '../lib/event-loop.ts';

export type { ConfigIssue, EnvLookup } from './document.ts';

/** A file ready to apply, or every problem it has. */
export type LoadedConfig =
  { ok: true; config: ConfigFile; parsed: ParsedConfig } | { ok: false; issues: ConfigIssue[] };

/**
 * Parses, substitutes `${ENV}` and validates a file with the operations' own schemas, collecting
 * every problem (syntax, missing variables, fields, cross-field rules, duplicate keys) at once,
 * in text order. An apply runs the same checks in the config service (`validate.ts`); this is
 * for readers that need a file checked on its own.
 */
export async function loadConfigText(
  file: string,
  text: string,
  env: EnvLookup,
  pace: Pace = yieldToEventLoop,
): Promise<LoadedConfig> {
  const { parsed, issues } = parseConfigText(file, text, env);
  if (issues.length > 0) return { ok: false, issues: sortIssues(issues) };
  const result = await validateConfigDocument(parsed.value ?? {}, pace);
  if (!result.ok) return { ok: false, issues: locateFieldIssues(parsed, result.issues, '') };
  return { ok: true, config: result.config.file, parsed };
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
        prefix !== '' && issue.path === prefix
          ? ''
          : prefix !== '' && issue.path.startsWith(`${prefix}.`)
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
