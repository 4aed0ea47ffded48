import fs from 'node:fs';
import type { z } from 'zod';
import { readDaemonInfo } from '../app/daemon-lock.ts';
import { dataDirPaths } from '../config/data-dir.ts';
import { AppError } from '../lib/errors.ts';
import { invokeOperation } from '../operations/invoke.ts';
import type { AnyOperation, InputSchema, Operation } from '../operations/kit.ts';
import { LOCAL_ADMIN, pathFields } from '../operations/kit.ts';
import { ApiClient } from './api-client.ts';

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

/** One HTTP request for one operation call: the path template filled, the rest as query or body. */
export function operationRequest(
  op: AnyOperation,
  input: Record<string, unknown>,
): { method: string; path: string; body?: unknown } {
  const inPath = new Set(pathFields(op.http.path));
  const path = op.http.path.replace(/\{(\w+)\}/g, (_, field: string) =>
    encodeURIComponent(String(input[field])),
  );
  const rest = Object.fromEntries(
    Object.entries(input).filter(([key, value]) => !inPath.has(key) && value !== undefined),
  );
  if (op.http.method === 'GET' || op.http.method === 'DELETE') {
    const query = new URLSearchParams(
      Object.entries(rest).map(([key, value]): [string, string] => [
        key,
        Array.isArray(value) ? value.join(',') : String(value),
      ]),
    ).toString();
    return { method: op.http.method, path: query === '' ? path : `${path}?${query}` };
  }
  const body = op.http.bodyField === undefined ? rest : (rest[op.http.bodyField] ?? {});
  return { method: op.http.method, path, body };
}

function onlineBackend(api: ApiClient): CliBackend {
  return {
    online: true,
    async call(op, input) {
      const request = operationRequest(op, input);
      return api.request(request.method, request.path, request.body, {
        ...(op.http.clientWaitMs !== undefined ? { timeoutMs: op.http.clientWaitMs } : {}),
      });
    },
    close: async () => {},
  };
}

/** Talks to the daemon running on the data dir, or reads its store when none runs. */
export async function openBackend(dataDir: string): Promise<CliBackend> {
  const paths = dataDirPaths(dataDir);
  const info = readDaemonInfo(paths.daemonInfo);
  if (info) return onlineBackend(new ApiClient(info.apiUrl, readToken(paths.apiToken)));
  // Loaded only when no daemon runs: the store stack is the heaviest part of the CLI.
  const { openOfflineServices } = await import('./offline-services.ts');
  const offline = await openOfflineServices(dataDir);
  return {
    online: false,
    async call(op, input) {
      if (!op.offline) throw new AppError('UNAVAILABLE', offline.services.unavailableReason);
      // Whoever can read the data dir's store is its administrator: the files are 0600.
      return invokeOperation(op, LOCAL_ADMIN, offline.services, input) as Promise<
        z.output<typeof op.output>
      >;
    },
    close: () => offline.close(),
  };
}

function readToken(file: string): string | undefined {
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
