import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseByteSize } from '../lib/byte-size.ts';
import { parseDuration } from '../lib/duration.ts';
import { validationError } from '../lib/errors.ts';
import type { RetentionPolicy } from '../store/types.ts';
import { DEFAULT_RETENTION } from '../store/types.ts';
import type { GroupingSettings } from '../domain/cause-group.ts';
import { DEFAULT_GROUPING } from '../domain/cause-group.ts';
import type { DatabaseSetting } from './database-config.ts';
import { DATABASE_ENV, databaseSettingFrom } from './database-config.ts';

export const DEFAULT_API_PORT = 7434;

/**
 * `--check-threads auto` starts the threads once the node runs this many monitors: below it
 * the main thread has room to spare, and each thread costs memory (ADR 0011).
 */
export const AUTO_CHECK_THREADS_FROM = 2_000;

/** Everything a node needs to run, parsed once from flags and environment. */
export interface NodeConfig {
  dataDir: string;
  api: { host: string; port: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** JSON lines, or rendered for people (the default when stderr is a terminal). */
  logFormat: 'json' | 'pretty';
  /** Global limit of checks running at once. */
  concurrency: number;
  /**
   * Threads running checks beside the main thread (`--check-threads`): how many, and from how
   * many monitors on (`auto`: one per core from AUTO_CHECK_THREADS_FROM monitors; a number:
   * that many at once; 0: none).
   */
  checkThreads: { count: number; fromMonitors: number };
  /** How long results wait in memory before a batched write. */
  flushIntervalMs: number;
  retention: RetentionPolicy;
  /**
   * Coordinator: bytes the database may take (`--storage-budget`); the raw window shrinks to
   * fit, down to a floor (`store/raw-window-budget.ts`). Null: no budget.
   */
  storageBudgetBytes: number | null;
  /** Peer port address overriding the one chosen at init (coordinator only). */
  peerListen: { host: string; port: number } | null;
  /** Agent heartbeat period; the coordinator judges liveness with it. */
  heartbeatMs: number;
  /** Heartbeat periods of silence before a node counts as missing. */
  graceCount: number;
  /** Most results an agent keeps while the coordinator is unreachable. */
  outboxMaxResults: number;
  /** The dashboard's address as people reach it, for links in alerts; null leaves links out. */
  publicUrl: string | null;
  /** A second listener serving only status pages, feeds and badges (coordinator); null: none. */
  publicListen: { host: string; port: number } | null;
  /** Browser checks: the Chromium to run (null: the usual places) and how many pages at once. */
  browser: { chromiumPath: string | null; concurrency: number };
  /** Coordinator: one page per shared cause (`--group-wait`, `--group-window`, `--group-min`). */
  grouping: GroupingSettings;
  /**
   * Coordinator: the database given (`--database-url`/`--database-ca` or their variables), as
   * given; `resolveDatabase` checks it and falls back to the data dir's record, then SQLite.
   */
  database: DatabaseSetting;
  /**
   * Coordinator on PostgreSQL: the leader lease's timings (`--lease-ttl`): the holder renews it
   * every fifth of the ttl and stops acting a fifth before it runs out (ADR 0010).
   */
  lease: { ttlMs: number; renewEveryMs: number; marginMs: number };
}

/** Flags as the CLI hands them over (all optional strings); env fills the gaps. */
export interface NodeConfigInput {
  dataDir?: string | undefined;
  apiListen?: string | undefined;
  logLevel?: string | undefined;
  logFormat?: string | undefined;
  concurrency?: string | undefined;
  checkThreads?: string | undefined;
  retainResults?: string | undefined;
  storageBudget?: string | undefined;
  listen?: string | undefined;
  heartbeatInterval?: string | undefined;
  graceCount?: string | undefined;
  outboxMax?: string | undefined;
  publicUrl?: string | undefined;
  publicListen?: string | undefined;
  chromiumPath?: string | undefined;
  browserConcurrency?: string | undefined;
  groupWait?: string | undefined;
  groupWindow?: string | undefined;
  groupMin?: string | undefined;
  databaseUrl?: string | undefined;
  databaseCa?: string | undefined;
  leaseTtl?: string | undefined;
}

/** The environment variable behind each setting; a flag given for the same setting wins. */
export const NODE_CONFIG_ENV = {
  dataDir: 'CROSSCHECK_DATA_DIR',
  apiListen: 'CROSSCHECK_API_LISTEN',
  logLevel: 'CROSSCHECK_LOG_LEVEL',
  logFormat: 'CROSSCHECK_LOG_FORMAT',
  concurrency: 'CROSSCHECK_CONCURRENCY',
  checkThreads: 'CROSSCHECK_CHECK_THREADS',
  retainResults: 'CROSSCHECK_RETAIN_RESULTS',
  storageBudget: 'CROSSCHECK_STORAGE_BUDGET',
  listen: 'CROSSCHECK_LISTEN',
  heartbeatInterval: 'CROSSCHECK_HEARTBEAT_INTERVAL',
  graceCount: 'CROSSCHECK_GRACE_COUNT',
  groupWait: 'CROSSCHECK_GROUP_WAIT',
  groupWindow: 'CROSSCHECK_GROUP_WINDOW',
  groupMin: 'CROSSCHECK_GROUP_MIN',
  outboxMax: 'CROSSCHECK_OUTBOX_MAX',
  publicUrl: 'CROSSCHECK_PUBLIC_URL',
  publicListen: 'CROSSCHECK_PUBLIC_LISTEN',
  chromiumPath: 'CROSSCHECK_CHROMIUM',
  browserConcurrency: 'CROSSCHECK_BROWSER_CONCURRENCY',
  leaseTtl: 'CROSSCHECK_LEASE_TTL',
  ...DATABASE_ENV,
} as const satisfies Record<keyof NodeConfigInput, string>;

/** A setting of `NodeConfigInput`, named as the CLI's flag attribute names it. */
export function isNodeConfigSetting(name: string): name is keyof NodeConfigInput {
  return Object.hasOwn(NODE_CONFIG_ENV, name);
}

const listenSchema = z.string().transform((value, ctx) => {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !Number.isInteger(port) || port < 0 || port > 65_535) {
    ctx.addIssue({
      code: 'custom',
      message: `expected host:port (e.g. 127.0.0.1:${DEFAULT_API_PORT}), got "${value}"`,
    });
    return z.NEVER;
  }
  return { host, port };
});

/** Parses a listen address (host:port, [v6]:port; port 0 picks a free one); VALIDATION names `flag`. */
export function parseListenAddress(value: string, flag: string): { host: string; port: number } {
  const parsed = listenSchema.safeParse(value);
  if (!parsed.success)
    throw validationError([{ path: flag, message: parsed.error.issues[0]?.message ?? 'invalid' }]);
  return parsed.data;
}

const durationSchema = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 7d or 12h, got "${value}"` });
    return z.NEVER;
  }
  return ms;
});

/** The smallest budget taken: below it the reserve and the floor leave nothing to decide. */
const MIN_STORAGE_BUDGET = 10_000_000;

const byteSizeSchema = z.string().transform((value, ctx) => {
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes < MIN_STORAGE_BUDGET) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a size of at least 10MB like 500MB or 20GB, got "${value}"`,
    });
    return z.NEVER;
  }
  return bytes;
});

const schema = z.object({
  dataDir: z.string().min(1),
  apiListen: listenSchema,
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  logFormat: z.enum(['json', 'pretty']),
  concurrency: z.coerce.number().int().min(1).max(10_000),
  checkThreads: z.union([
    z.literal('auto'),
    z.coerce
      .number({ error: 'expected auto or a number of threads (0: none)' })
      .int()
      .min(0)
      .max(64),
  ]),
  retainResults: durationSchema,
  storageBudget: byteSizeSchema.optional(),
  listen: listenSchema.optional(),
  heartbeatInterval: durationSchema.pipe(z.number().min(100).max(300_000)),
  graceCount: z.coerce.number().int().min(2).max(1_000),
  outboxMax: z.coerce.number().int().min(1_000).max(100_000_000),
  publicUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s):// URL' }).optional(),
  publicListen: listenSchema.optional(),
  chromiumPath: z
    .string()
    .refine((value) => path.isAbsolute(value), 'expected an absolute path to Chromium')
    .optional(),
  // Each page is a renderer process of 100+ MB: a small cap keeps a VPS responsive.
  browserConcurrency: z.coerce.number().int().min(1).max(64),
  // A page waits at most this long for the others failing with it: short, it is a page.
  groupWait: durationSchema.pipe(z.number().min(0).max(300_000)),
  groupWindow: durationSchema.pipe(z.number().min(0).max(86_400_000)),
  groupMin: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .refine((n) => n !== 1, 'expected 0 (off) or at least 2 monitors'),
  // Below a second, one slow query or GC pause would cost a healthy leader its lease.
  leaseTtl: durationSchema.pipe(z.number().min(1_000).max(300_000)),
});

/** Default data dir: $XDG_DATA_HOME/crosscheck or ~/.local/share/crosscheck. */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'crosscheck');
}

/** Resolves only the data dir (every command needs it, most need nothing else). */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return path.resolve(flag ?? env[NODE_CONFIG_ENV.dataDir] ?? defaultDataDir(env));
}

/** Parses flags + environment into a NodeConfig, reporting every bad field at once. */
export function loadNodeConfig(
  input: NodeConfigInput,
  env: NodeJS.ProcessEnv = process.env,
  terminal = Boolean(process.stderr.isTTY),
): NodeConfig {
  const parsed = schema.safeParse({
    dataDir: resolveDataDir(input.dataDir, env),
    apiListen: input.apiListen ?? env[NODE_CONFIG_ENV.apiListen] ?? `127.0.0.1:${DEFAULT_API_PORT}`,
    logLevel: input.logLevel ?? env[NODE_CONFIG_ENV.logLevel] ?? 'info',
    logFormat: input.logFormat ?? env[NODE_CONFIG_ENV.logFormat] ?? (terminal ? 'pretty' : 'json'),
    concurrency: input.concurrency ?? env[NODE_CONFIG_ENV.concurrency] ?? '256',
    checkThreads: input.checkThreads ?? env[NODE_CONFIG_ENV.checkThreads] ?? 'auto',
    retainResults: input.retainResults ?? env[NODE_CONFIG_ENV.retainResults] ?? '7d',
    storageBudget: input.storageBudget ?? env[NODE_CONFIG_ENV.storageBudget],
    listen: input.listen ?? env[NODE_CONFIG_ENV.listen],
    heartbeatInterval: input.heartbeatInterval ?? env[NODE_CONFIG_ENV.heartbeatInterval] ?? '5s',
    graceCount: input.graceCount ?? env[NODE_CONFIG_ENV.graceCount] ?? '6',
    outboxMax: input.outboxMax ?? env[NODE_CONFIG_ENV.outboxMax] ?? '1000000',
    publicUrl: input.publicUrl ?? env[NODE_CONFIG_ENV.publicUrl],
    publicListen: input.publicListen ?? env[NODE_CONFIG_ENV.publicListen],
    chromiumPath: input.chromiumPath ?? env[NODE_CONFIG_ENV.chromiumPath],
    browserConcurrency: input.browserConcurrency ?? env[NODE_CONFIG_ENV.browserConcurrency] ?? '2',
    groupWait: input.groupWait ?? env[NODE_CONFIG_ENV.groupWait] ?? '30s',
    groupWindow: input.groupWindow ?? env[NODE_CONFIG_ENV.groupWindow] ?? '5m',
    groupMin:
      input.groupMin ?? env[NODE_CONFIG_ENV.groupMin] ?? String(DEFAULT_GROUPING.minMonitors),
    leaseTtl: input.leaseTtl ?? env[NODE_CONFIG_ENV.leaseTtl] ?? '10s',
  });
  if (!parsed.success) {
    throw validationError(
      parsed.error.issues.map((issue) => ({
        path: flagName(issue.path.map(String)),
        message: issue.message,
      })),
    );
  }
  const value = parsed.data;
  return {
    dataDir: value.dataDir,
    api: value.apiListen,
    logLevel: value.logLevel,
    logFormat: value.logFormat,
    concurrency: value.concurrency,
    checkThreads:
      value.checkThreads === 'auto'
        ? { count: os.availableParallelism(), fromMonitors: AUTO_CHECK_THREADS_FROM }
        : { count: value.checkThreads, fromMonitors: 0 },
    flushIntervalMs: 200,
    retention: { ...DEFAULT_RETENTION, rawMs: value.retainResults },
    storageBudgetBytes: value.storageBudget ?? null,
    peerListen: value.listen ?? null,
    heartbeatMs: value.heartbeatInterval,
    graceCount: value.graceCount,
    outboxMaxResults: value.outboxMax,
    publicUrl: value.publicUrl ?? null,
    publicListen: value.publicListen ?? null,
    browser: { chromiumPath: value.chromiumPath ?? null, concurrency: value.browserConcurrency },
    grouping: {
      waitMs: value.groupWait,
      windowMs: value.groupWindow,
      minMonitors: value.groupMin,
    },
    database: databaseSettingFrom(input, env),
    lease: leaseTimingsOf(value.leaseTtl),
  };
}

/**
 * Renewing every fifth of the ttl and stopping a fifth before its end gives a healthy holder
 * four renewals per lease and covers clocks a tenth of the ttl off true time (1 s at the
 * default 10 s); failover after a crash takes at most 1.2 × ttl.
 */
function leaseTimingsOf(ttlMs: number): NodeConfig['lease'] {
  const fifth = Math.floor(ttlMs / 5);
  return { ttlMs, renewEveryMs: fifth, marginMs: fifth };
}

/** True when an address is loopback-only (the API needs no auth then). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function flagName(pathParts: string[]): string {
  const key = pathParts[0] ?? '';
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The Chromium a one-off browser check runs: the flag, else `CROSSCHECK_CHROMIUM`, else none. */
export function chromiumPathOf(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const value = flag ?? env[NODE_CONFIG_ENV.chromiumPath];
  return value === undefined || value === '' ? undefined : value;
}
