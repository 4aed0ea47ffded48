import type { Command } from 'commander';
import { resolveDataDir } from '../config/node-config.ts';
import type { CliBackend } from './backend.ts';
import { collectPages, openBackend } from './backend.ts';
import { listMonitors } from '../operations/monitor-ops.ts';
import type { Output } from './output.ts';

/** What every command gets: where to print and how to reach data. */
export interface CliContext {
  out: Output;
  env: NodeJS.ProcessEnv;
}

/** Global options every command accepts. */
export interface GlobalOptions {
  dataDir?: string;
}

/** The data dir for a command: --data-dir, then CROSSCHECK_DATA_DIR, then the default. */
export function dataDirOf(command: Command, ctx: CliContext): string {
  return resolveDataDir(command.optsWithGlobals<GlobalOptions>().dataDir, ctx.env);
}

/** Opens the backend for a command, runs `body`, and always closes it. */
export async function withBackend<T>(
  command: Command,
  ctx: CliContext,
  body: (backend: CliBackend) => Promise<T>,
): Promise<T> {
  const backend = await openBackend(dataDirOf(command, ctx), ctx.env);
  try {
    return await body(backend);
  } finally {
    await backend.close();
  }
}

/** Monitor names by id, for tables that would otherwise show bare ids. */
export async function monitorNames(backend: CliBackend): Promise<(id: string) => string> {
  const monitors = await collectPages(backend, listMonitors, {});
  const names = new Map(monitors.map((m) => [m.id, m.name]));
  return (id) => names.get(id) ?? id;
}
