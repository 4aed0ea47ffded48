import fs from 'node:fs';
import { Command } from 'commander';
import { dataDirPaths, readOptionalFile } from '../../config/data-dir.ts';
import { AppError, validationError } from '../../lib/errors.ts';
import { setupInput } from '../../services/auth/inputs.ts';
import { createFirstAdminInDataDir } from '../../app/first-admin.ts';
import { databaseExists } from '../../app/coordinator-store.ts';
import { databaseSettingFrom, resolveDatabase } from '../../config/database-config.ts';
import type { CliContext } from '../context.ts';
import { dataDirOf } from '../context.ts';

/** The first line of a file, or of standard input when no file is given. */
function readPassword(file: string | undefined): string {
  const text = file === undefined ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  return text.split(/\r?\n/)[0] ?? '';
}

const FLAG_OF: Record<string, string> = { name: '--name', password: '--password-file' };

/**
 * `crosscheck user create-admin`: creates the first admin straight in the data dir's database
 * (SQLite file or PostgreSQL, as the daemon's) with the one-time setup token the daemon wrote
 * there. It works with the daemon running or not, and needs no credentials beyond being able
 * to read the data dir (and, on PostgreSQL, its URL).
 */
function createAdminCommand(ctx: CliContext): Command {
  return new Command('create-admin')
    .description('create the first admin (uses the setup-token file the daemon wrote)')
    .requiredOption('--name <name>', 'user name of the admin')
    .option('--password-file <file>', 'read the password from this file (default: stdin)')
    .option('--json', 'print JSON')
    .action(
      async (opts: { name: string; passwordFile?: string; json?: boolean }, command: Command) => {
        const paths = dataDirPaths(dataDirOf(command, ctx));
        const setupToken = readOptionalFile(paths.setupToken)?.trim();
        const database = resolveDatabase(paths.root, databaseSettingFrom({}, ctx.env));
        if (setupToken === undefined || setupToken === '' || !databaseExists(database)) {
          throw new AppError(
            'CONFLICT',
            `no setup token in ${paths.root}: an admin exists already, or the daemon has not started there yet (start it once, then run this again)`,
          );
        }
        const parsed = setupInput.safeParse({
          setupToken,
          name: opts.name,
          password: readPassword(opts.passwordFile),
        });
        if (!parsed.success) {
          throw validationError(
            parsed.error.issues.map((issue) => {
              const field = String(issue.path[0] ?? '');
              return { path: FLAG_OF[field] ?? field, message: issue.message };
            }),
          );
        }
        const admin = await createFirstAdminInDataDir(paths.root, database, parsed.data);
        if (opts.json) return ctx.out.json(admin);
        ctx.out.line(`admin ${admin.name} created (${admin.id}); the setup token is used up`);
      },
    );
}

/** `crosscheck user …`: the hand-written first-admin command (the rest derive from operations). */
export function userCommand(ctx: CliContext): Command {
  return new Command('user')
    .description('users: create-admin (the first admin, offline), add, list, update, remove')
    .addCommand(createAdminCommand(ctx));
}
