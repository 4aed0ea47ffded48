import fs from 'node:fs';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { ErrorCode } from '../../lib/errors.ts';
import { AppError, validationError } from '../../lib/errors.ts';
import { bulkMonitors } from '../../operations/bulk-ops.ts';
import { MAX_BULK_ITEMS } from '../../services/monitors/monitor-bulk.ts';
import type { CliBackend } from '../backend.ts';
import type { CliContext } from '../context.ts';
import { withBackend } from '../context.ts';
import { exitCodeFor } from '../exit-codes.ts';

type BulkOutput = z.output<typeof bulkMonitors.output>;
type ItemError = Extract<BulkOutput['results'][number], { ok: false }>['error'];

interface BulkFlags {
  file: string;
  atomic?: boolean;
  batchSize?: string;
  json?: boolean;
}

/** One failed item of the whole file: its index in the file and, when it has one, its name. */
interface FailedItem {
  index: number;
  name?: string;
  error: ItemError;
}

interface BulkSummary {
  items: number;
  written: number;
  failed: FailedItem[];
}

/**
 * Reads the items of a monitors file: a JSON or YAML list (or `{ items: [...] }`) whose entries
 * are bulk items (`{ op: create, monitor }`, `{ op: update, id, patch }`) or plain monitor
 * bodies, which are created. Only the outer shape is checked here: the daemon validates each
 * item and answers per item.
 */
export function readBulkItems(file: string, text: string): unknown[] {
  let document: unknown;
  try {
    document = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 0 });
  } catch (error) {
    throw validationError([
      {
        path: 'file',
        message: `${file}: ${error instanceof Error ? error.message : String(error)}`,
      },
    ]);
  }
  const list =
    typeof document === 'object' && document !== null && 'items' in document
      ? document.items
      : document;
  if (!Array.isArray(list))
    throw validationError([
      { path: 'file', message: `${file}: expected a list of monitors (or { items: [...] })` },
    ]);
  return list.map((entry: unknown) =>
    typeof entry === 'object' && entry !== null && 'op' in entry
      ? entry
      : { op: 'create', monitor: entry },
  );
}

/** The name an item gives its monitor, for error lines (`item 12 "api"`). */
function nameOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { monitor, id } = item as { monitor?: unknown; id?: unknown };
  if (typeof monitor === 'object' && monitor !== null) {
    const { name } = monitor as { name?: unknown };
    if (typeof name === 'string') return name;
  }
  return typeof id === 'string' ? id : undefined;
}

function batchSizeOf(flag: string | undefined): number {
  if (flag === undefined) return MAX_BULK_ITEMS;
  const size = Number(flag);
  if (!Number.isInteger(size) || size < 1 || size > MAX_BULK_ITEMS)
    throw validationError([
      { path: '--batch-size', message: `must be a whole number from 1 to ${MAX_BULK_ITEMS}` },
    ]);
  return size;
}

/** Sends the items in batches (one transaction each), with a progress line per batch. */
async function sendInBatches(
  ctx: CliContext,
  backend: CliBackend,
  items: readonly unknown[],
  options: { batchSize: number; atomic: boolean },
): Promise<BulkSummary> {
  const summary: BulkSummary = { items: items.length, written: 0, failed: [] };
  for (let start = 0; start < items.length; start += options.batchSize) {
    const batch = items.slice(start, start + options.batchSize);
    const result = await backend.call(bulkMonitors, { items: batch, atomic: options.atomic });
    summary.written += result.written;
    for (const r of result.results) {
      if (r.ok) continue;
      const name = nameOf(batch[r.index]);
      summary.failed.push({
        index: start + r.index,
        ...(name === undefined ? {} : { name }),
        error: r.error,
      });
    }
    const sent = start + batch.length;
    ctx.out.error(
      `sent ${sent}/${items.length}: ${summary.written} written, ${summary.failed.length} failed`,
    );
  }
  return summary;
}

/** `item 12 "api": monitor.target: must be a URL` — one line per issue (or the message). */
function errorLines(failed: FailedItem): string[] {
  const label = `item ${failed.index}${failed.name === undefined ? '' : ` ${JSON.stringify(failed.name)}`}`;
  const { issues, message } = failed.error;
  if (issues.length === 0) return [`${label}: ${message}`];
  return issues.map(
    (issue) => `${label}: ${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`,
  );
}

/** Exit 2 when any item was invalid, else the code of the first other failure, else 0. */
function exitCodeOf(failed: readonly FailedItem[]): number {
  if (failed.length === 0) return 0;
  const codes = new Set<ErrorCode>(failed.map((f) => f.error.code as ErrorCode));
  if (codes.has('VALIDATION')) return exitCodeFor('VALIDATION');
  // An atomic batch's valid items fail with CONFLICT because of an invalid one; that one decides.
  const first = failed[0]?.error.code as ErrorCode;
  return exitCodeFor(first);
}

/** `crosscheck monitor bulk -f monitors.yaml|json [--atomic] [--batch-size N] [--json]`. */
export function monitorBulkCommand(ctx: CliContext): Command {
  return new Command('bulk')
    .description(
      'create (and update) many monitors from a JSON or YAML list, in batches of one transaction each',
    )
    .requiredOption('-f, --file <file>', 'a list of monitor bodies or bulk items (.json or .yaml)')
    .option('--atomic', 'write nothing of a batch when any of its items fails')
    .option('--batch-size <n>', `items per request (default and most: ${MAX_BULK_ITEMS})`)
    .option('--json', 'print the summary as JSON')
    .action(async (flags: BulkFlags, command: Command) => {
      const batchSize = batchSizeOf(flags.batchSize);
      const items = readBulkItems(flags.file, fs.readFileSync(flags.file, 'utf8'));
      if (items.length === 0) throw new AppError('VALIDATION', `${flags.file}: no monitors`);
      const summary = await withBackend(command, ctx, (backend) =>
        sendInBatches(ctx, backend, items, { batchSize, atomic: flags.atomic ?? false }),
      );
      process.exitCode = exitCodeOf(summary.failed);
      if (flags.json) return ctx.out.json(summary);
      for (const failed of summary.failed)
        for (const line of errorLines(failed)) ctx.out.error(line);
      ctx.out.line(
        `Bulk: ${summary.written} of ${summary.items} written, ${summary.failed.length} failed.`,
      );
    });
}
