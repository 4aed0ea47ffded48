import fs from 'node:fs';
import type { z } from 'zod';
import { readDaemonInfo } from '../app/daemon-lock.ts';
import { dataDirPaths } from '../config/data-dir.ts';
import { databaseSettingFrom } from '../config/database-config.ts';
import { AppError } from '../lib/errors.ts';
import { invokeOperation } from '../operations/invoke.ts';
import type { InputSchema, Operation } from '../operations/kit.ts';
import { LOCAL_ADMIN } from '../operations/kit.ts';
import { ApiClient } from './api-client.ts';
import { callOverApi } from './rest-caller.ts';

/**
 * How the CLI runs an operation: over the daemon's API when one runs on the data dir, on its
 * store otherwise. Commands only format; both paths run the same operation definitions.
 */
export interface CliBackend {
  readonly online: boolean;
  call<I extends InputSchema, O extends z.ZodType>(
    op: Operation<I, O>,
    input: z.input<I>,
  ): Promise<z.output<O>>;
  close(): Promise<void>;
}

function onlineBackend(api: ApiClient): CliBackend {
  return {
    online: true,
    call: (op, input) => callOverApi(api, op, input) as Promise<z.output<typeof op.output>>,
    close: async () => {},
  };
}

/**
 * Talks to the daemon running on the data dir, or reads its store when none runs (the
 * PostgreSQL database of `CROSSCHECK_DATABASE_URL` or the data dir's record, else SQLite).
 */
export async function openBackend(dataDir: string, env: NodeJS.ProcessEnv): Promise<CliBackend> {
  const paths = dataDirPaths(dataDir);
  const info = readDaemonInfo(paths.daemonInfo);
  if (info) return onlineBackend(new ApiClient(info.apiUrl, readApiToken(paths.apiToken)));
  // Loaded only when no daemon runs: the store stack is the heaviest part of the CLI.
  const { openOfflineServices } = await import('../app/offline-services.ts');
  const offline = await openOfflineServices(dataDir, databaseSettingFrom({}, env));
  return {
    online: false,
    async call(op, input) {
      if (!op.offline) {
        const what = op.cli.length > 0 ? `crosscheck ${op.cli.join(' ')}` : op.name;
        throw new AppError(
          'UNAVAILABLE',
          `${what} needs the running daemon: ${offline.services.unavailableReason}`,
        );
      }
      // Whoever can read the data dir's store is its administrator: the files are 0600.
      return invokeOperation(op, LOCAL_ADMIN, offline.services, input) as Promise<
        z.output<typeof op.output>
      >;
    },
    close: () => offline.close(),
  };
}

/**
 * The data dir's token file, or undefined when it is missing or unreadable (another user's
 * data dir): the daemon then refuses the request with a clear UNAUTHORIZED.
 */
export function readApiToken(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every item of a paginated list up to `limit`, following `nextCursor` page after page, so a
 * command shows what the user asked for whatever the server's page size.
 */
export async function collectPages<I extends InputSchema, T>(
  backend: CliBackend,
  op: Operation<I, z.ZodType<{ items: T[]; nextCursor: string | null }>>,
  input: z.input<I>,
  limit = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await backend.call(op, { ...input, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && items.length < limit);
  return items.slice(0, limit);
}
