import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { acquireDaemonLock } from '../../app/daemon-lock.ts';
import { dataDirPaths } from '../../config/data-dir.ts';
import { AppError } from '../../lib/errors.ts';
import type { CopyProgress, MigrateSummary } from '../../store/transfer/migrate-to-postgres.ts';
import { DEFAULT_CHUNK_ROWS, migrateToPostgres } from '../../store/transfer/migrate-to-postgres.ts';
import type { CliContext } from '../context.ts';
import { dataDirOf } from '../context.ts';
import type { Output } from '../output.ts';

/** How often a long table's progress line repeats on stderr. */
const PROGRESS_EVERY_MS = 1_000;

interface MigrateOptions {
  to: string;
  chunkRows: number;
  json?: boolean;
}

function chunkRows(value: string): number {
  const rows = Number(value);
  if (!Number.isInteger(rows) || rows < 1 || rows > 100_000) {
    throw new InvalidArgumentError('a whole number from 1 to 100000');
  }
  return rows;
}

/**
 * `crosscheck migrate --to postgres://…`: copies the data dir's SQLite database into
 * PostgreSQL while no daemon runs (it holds the daemon lock meanwhile, so none starts). Not an
 * operation: it runs here, on this machine's data dir, and talks to no daemon.
 */
export function migrateCommand(ctx: CliContext): Command {
  return new Command('migrate')
    .description(
      "copy this data dir's SQLite data into a PostgreSQL database (resumable; the daemon must be stopped)",
    )
    .requiredOption('--to <url>', 'target database, postgres://user:password@host:port/database')
    .option(
      '--chunk-rows <n>',
      `rows per transaction (default ${DEFAULT_CHUNK_ROWS})`,
      chunkRows,
      DEFAULT_CHUNK_ROWS,
    )
    .option('--json', 'print a JSON summary on stdout')
    .action(async (opts: MigrateOptions, command: Command) => {
      const paths = dataDirPaths(dataDirOf(command, ctx));
      if (!fs.existsSync(paths.database)) {
        throw new AppError('NOT_FOUND', `no Crosscheck database at ${paths.database}`);
      }
      const lock = acquireDaemonLock(paths.lock);
      try {
        const summary = await migrateToPostgres({
          sourceFile: paths.database,
          url: opts.to,
          chunkRows: opts.chunkRows,
          onProgress: progressPrinter(ctx.out),
        });
        if (opts.json) ctx.out.json(summary);
        else printSummary(ctx.out, summary);
      } finally {
        lock.release();
      }
    });
}

/** Progress lines on stderr: each table's first and last chunk, and one a second between. */
function progressPrinter(out: Output): (progress: CopyProgress) => void {
  let lastAt = 0;
  let lastTable = '';
  return (p) => {
    const now = Date.now();
    if (!p.done && p.table === lastTable && now - lastAt < PROGRESS_EVERY_MS) return;
    lastAt = now;
    lastTable = p.table;
    const rate = p.rowsPerSecond > 0 ? ` (${p.rowsPerSecond.toLocaleString('en')} rows/s)` : '';
    out.error(
      `${p.table}: ${p.copied.toLocaleString('en')}/${p.total.toLocaleString('en')} rows${rate}`,
    );
  };
}

function printSummary(out: Output, summary: MigrateSummary): void {
  const resumed = summary.tables.reduce((sum, t) => sum + t.resumedFrom, 0);
  out.line(
    `migrated ${summary.rows.toLocaleString('en')} rows in ${summary.tables.length} tables to ${summary.target} in ${summary.seconds.toFixed(1)} s` +
      (summary.resumed
        ? ` (resumed: ${resumed.toLocaleString('en')} rows were already there)`
        : ''),
  );
  out.line('row counts match on both sides; start the coordinator with --database-url');
}
