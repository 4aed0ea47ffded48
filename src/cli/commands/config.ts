import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { z } from 'zod';
import type { ConfigIssue } from '../../config-file/load.ts';
import { parseConfigText } from '../../config-file/document.ts';
import { formatIssue, locateFieldIssues } from '../../config-file/load.ts';
import { isAppError } from '../../lib/errors.ts';
import { applyConfig, exportConfig } from '../../operations/config-ops.ts';
import type { configApplyOutputSchema } from '../../operations/schemas/config.ts';
import type { CliContext } from '../context.ts';
import { withBackend } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import type { Output } from '../output.ts';

type ApplyOutput = z.output<typeof configApplyOutputSchema>;

interface ApplyFlags {
  file: string;
  dryRun?: boolean;
  prune?: boolean;
  source?: string;
  json?: boolean;
}

/** True when the plan changes something. */
function hasChanges(result: ApplyOutput): boolean {
  return result.create.length + result.update.length + result.delete.length > 0;
}

/** One line per change (`+` create, `~` update with the fields, `-` delete), then a summary. */
function printPlan(out: Output, result: ApplyOutput, applied: boolean): void {
  const label = (p: { kind: string; key: string; name: string }) =>
    p.key === p.name ? `${p.kind} ${p.key}` : `${p.kind} ${p.key} (${p.name})`;
  for (const c of result.create) out.line(`+ ${label(c)}`);
  for (const u of result.update) {
    const what = [...(u.adopt ? ['adopt'] : []), ...u.fields].join(', ');
    out.line(`~ ${label(u)}: ${what}`);
  }
  for (const d of result.delete) out.line(`- ${label(d)}`);
  const counts =
    `${result.create.length} to create, ${result.update.length} to update, ` +
    `${result.delete.length} to delete, ${result.unchanged.length} unchanged`;
  if (!hasChanges(result)) out.line(`No changes (${result.unchanged.length} unchanged).`);
  else out.line(applied ? `Applied: ${counts.replaceAll(' to ', ' ')}.` : `Plan: ${counts}.`);
}

/** Prints every issue as `file:line:col path message` and marks the command a usage error. */
function reportIssues(ctx: CliContext, issues: readonly ConfigIssue[]): void {
  for (const issue of issues) ctx.out.error(formatIssue(issue));
  ctx.out.error(`error: ${issues.length} problem(s) in the file; nothing was applied`);
  process.exitCode = EXIT.usage;
}

/**
 * Reads the file here (syntax and `${ENV}` problems are named by line without a daemon), sends
 * the parsed document to `config.apply`, which checks every entry once, and places every
 * problem it finds back in the file (`file:line:col`).
 */
async function runApply(
  ctx: CliContext,
  command: Command,
  flags: ApplyFlags,
  dryRun: boolean,
): Promise<ApplyOutput | undefined> {
  const text = fs.readFileSync(flags.file, 'utf8');
  const { parsed, issues } = parseConfigText(flags.file, text, (name) => ctx.env[name]);
  if (issues.length > 0) {
    reportIssues(ctx, issues);
    return undefined;
  }
  return withBackend(command, ctx, async (backend) => {
    try {
      return await backend.call(applyConfig, {
        // The substituted text as written; the operation checks it.
        document: asDocument(parsed.value),
        source: flags.source ?? path.basename(flags.file),
        dryRun,
        prune: flags.prune ?? false,
      });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'VALIDATION' || error.issues.length === 0)
        throw error;
      reportIssues(ctx, locateFieldIssues(parsed, error.issues, 'document'));
      return undefined;
    }
  });
}

/** The file's value as the operation takes it; a file that is not a map gets the file's issue. */
function asDocument(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function fileCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .requiredOption('-f, --file <file>', 'the config file (YAML)')
    .option('--prune', 'also delete objects this file manages and no longer names')
    .option('--source <name>', "the file's identity for managed objects (default: its file name)")
    .option('--json', 'print JSON');
}

/** `crosscheck apply -f file [--dry-run] [--prune]`. */
export function applyCommand(ctx: CliContext): Command {
  return fileCommand('apply', 'apply a config file in one transaction (see docs/config-file.md)')
    .option('--dry-run', 'show what would change, write nothing')
    .action(async (flags: ApplyFlags, command: Command) => {
      const dryRun = flags.dryRun ?? false;
      const result = await runApply(ctx, command, flags, dryRun);
      if (result === undefined) return;
      if (flags.json) return ctx.out.json(result);
      printPlan(ctx.out, result, !dryRun);
    });
}

/** `crosscheck diff -f file`: the dry run, exit 0 without changes and 1 with (like `diff`). */
export function diffCommand(ctx: CliContext): Command {
  return fileCommand(
    'diff',
    'show what applying a config file would change (exit 1 if anything)',
  ).action(async (flags: ApplyFlags, command: Command) => {
    const result = await runApply(ctx, command, flags, true);
    if (result === undefined) return;
    if (flags.json) ctx.out.json(result);
    else printPlan(ctx.out, result, false);
    if (hasChanges(result)) process.exitCode = EXIT.down;
  });
}

/** `crosscheck export [--include-secrets] [> file]`. */
export function exportCommand(ctx: CliContext): Command {
  return new Command('export')
    .description('write every object as a config file on stdout (secrets as placeholders)')
    .option('--include-secrets', 'write secrets as they are (admin; keep the file safe)')
    .option('--json', 'print JSON (the text, the secret variables, warnings)')
    .action(async (flags: { includeSecrets?: boolean; json?: boolean }, command: Command) => {
      await withBackend(command, ctx, async (backend) => {
        const result = await backend.call(exportConfig, {
          includeSecrets: flags.includeSecrets ?? false,
        });
        if (flags.json) return ctx.out.json(result);
        ctx.out.line(result.text.replace(/\n$/, ''));
        for (const warning of result.warnings) ctx.out.error(`warning: ${warning}`);
      });
    });
}
