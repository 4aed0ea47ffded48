import { DEFAULT_CONSENSUS } from '../../src/domain/consensus.ts';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getCheck } from '../../src/checks/registry.ts';
import type { CheckType } from '../../src/checks/types.ts';
import type { Monitor } from '../../src/domain/monitor.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import type { BenchChild, ChildProcesses } from './child-processes.ts';
import { loopDelayLaunch } from './loop-delay.ts';
import { sleep } from './time-bounds.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
/** The CLI the bench runs (`CROSSCHECK_BENCH_BIN` names another tree's). */
export const BIN = process.env.CROSSCHECK_BENCH_BIN ?? path.join(REPO, 'bin', 'crosscheck.js');

/** What a bench monitor needs: everything else takes the product's defaults. */
export interface MonitorSeed {
  id: string;
  type: CheckType;
  target: string;
  intervalMs: number;
  timeoutMs?: number;
}

/**
 * Writes monitors straight into a fresh data dir's database before the daemon starts, with
 * the options and target normalised by the check type's own schemas (as the API would).
 */
export async function seedMonitors(dataDir: string, seeds: readonly MonitorSeed[]): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = await openSqliteStore({ file: path.join(dataDir, 'crosscheck.db') });
  try {
    const now = Date.now();
    for (const seed of seeds) {
      const check = getCheck(seed.type);
      const monitor: Monitor = {
        id: seed.id,
        name: `bench ${seed.id}`,
        type: seed.type,
        target: check.targetSchema.parse(seed.target),
        intervalMs: seed.intervalMs,
        timeoutMs: seed.timeoutMs ?? 10_000,
        group: 'bench',
        tags: ['bench'],
        options: check.optionsSchema.parse({}) as Record<string, unknown>,
        failureThreshold: 2,
        recoveryThreshold: 2,
        degradedIsDown: false,
        paused: false,
        alerts: [],
        regionalAlerts: [],
        consensus: DEFAULT_CONSENSUS,
        nodes: { regions: [], labels: {} },
        alertCooldownMs: 300_000,
        dependsOn: [],
        createdAt: now,
        updatedAt: now,
      };
      await store.insertMonitor(monitor);
    }
  } finally {
    await store.close();
  }
}

/** Where a bench daemon's API is and the data dir whose token file opens it. */
export interface BenchApi {
  apiUrl: string;
  dataDir: string;
}

/** Every API request needs the data dir's token, as the local CLI sends it. */
export function benchAuthHeaders(dataDir: string): Record<string, string> {
  const token = fs.readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
  return { authorization: `Bearer ${token}` };
}

/** A daemon started by the bench. */
export interface DaemonProcess {
  child: BenchChild;
  apiUrl: string;
  dataDir: string;
  /** Epoch ms from spawn until the API answered. */
  readyAfterMs: number;
}

/**
 * Set `CROSSCHECK_BENCH_CPU_PROF=<dir>` to have every bench daemon write a V8 CPU profile
 * there when it exits (read it with `node bench/lib/profile-top.ts <file>`), and
 * `CROSSCHECK_BENCH_NODE_ARGS` to pass Node/V8 flags to every bench daemon.
 */
export function profileArgs(): string[] {
  const dir = process.env.CROSSCHECK_BENCH_CPU_PROF;
  // Extra V8/Node flags for experiments (e.g. heap sizing), space-separated.
  const extra = (process.env.CROSSCHECK_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return [...extra, ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [])];
}

let listenFlagKnown: boolean | undefined;

/** True once `crosscheck start` has a peer `--listen` flag (the cluster issue adds it). */
function startHasListenFlag(): boolean {
  if (listenFlagKnown === undefined) {
    const help = execFileSync(process.execPath, [BIN, 'start', '--help'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    listenFlagKnown = /^\s+--listen\b/m.test(help);
  }
  return listenFlagKnown;
}

/** The command line of `crosscheck start` for a bench daemon on loopback. */
export function daemonArgs(dataDir: string, extra: readonly string[] = []): string[] {
  return [
    BIN,
    '--data-dir',
    dataDir,
    'start',
    '--api-listen',
    '127.0.0.1:0',
    ...(startHasListenFlag() ? ['--listen', '127.0.0.1:0'] : []),
    '--log-level',
    'warn',
    '--log-format',
    'json',
    ...extra,
  ];
}

/**
 * How long a daemon may take to answer after spawn. Seeded with 10,000+ monitors on the shared
 * 2-core machine at load 12–17, starts took over the former 60 s and failed whole scenarios.
 */
const READY_TIMEOUT_MS = 180_000;

/** Spawns `crosscheck start` and waits (bounded) until daemon.json names it and the API answers. */
export async function startDaemon(
  children: ChildProcesses,
  dataDir: string,
  options: {
    extraArgs?: string[];
    timeoutMs?: number;
    /** Append the daemon's event-loop delay here (`lib/loop-delay.ts`). */
    loopDelayFile?: string;
  } = {},
): Promise<DaemonProcess> {
  const loopDelay = options.loopDelayFile && loopDelayLaunch(options.loopDelayFile);
  const child = children.spawnNode({
    name: 'crosscheck-daemon',
    args: daemonArgs(dataDir, options.extraArgs),
    logFile: path.join(path.dirname(dataDir), `${path.basename(dataDir)}.log`),
    nodeArgs: [...(loopDelay ? loopDelay.nodeArgs : []), ...profileArgs()],
    ...(loopDelay ? { env: loopDelay.env } : {}),
  });
  const apiUrl = await waitForDaemonApi(
    children,
    child,
    dataDir,
    options.timeoutMs ?? READY_TIMEOUT_MS,
  );
  return { child, apiUrl, dataDir, readyAfterMs: Date.now() - child.spawnedAt };
}

/**
 * Waits (bounded, from spawn) until the data dir's daemon.json names `child` and its API
 * answers; returns the API URL. Stops the child and throws when it exits or the time is up.
 */
export async function waitForDaemonApi(
  children: ChildProcesses,
  child: BenchChild,
  dataDir: string,
  timeoutMs: number,
): Promise<string> {
  const deadline = child.spawnedAt + timeoutMs;
  const infoFile = path.join(dataDir, 'daemon.json');
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    const apiUrl = readApiUrl(infoFile, child.pid);
    if (apiUrl && (await answers(`${apiUrl}/api/v1/health`, dataDir))) return apiUrl;
    await sleep(25);
  }
  await children.stop(child);
  throw new Error(`daemon in ${dataDir} did not become ready (see ${dataDir}.log)`);
}

function readApiUrl(infoFile: string, pid: number): string | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as { pid?: number; apiUrl?: string };
    return info.pid === pid ? info.apiUrl : undefined;
  } catch {
    return undefined;
  }
}

async function answers(url: string, dataDir: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      headers: benchAuthHeaders(dataDir),
      signal: AbortSignal.timeout(2_000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** The subset of /api/v1/health the bench reads. */
export interface HealthFigures {
  results: number;
  checksPerSecond: number | null;
  runtime: {
    scheduler: { jobs: number; inFlight: number; queued: number; runsSkipped: number };
    ingest: { pending: number; dropped: number };
    memory: { rssBytes: number; heapUsedBytes: number };
  } | null;
}

/** GET /api/v1/health of a bench daemon (bounded by a timeout). */
export async function fetchHealth(daemon: DaemonProcess): Promise<HealthFigures> {
  const response = await fetch(`${daemon.apiUrl}/api/v1/health`, {
    headers: benchAuthHeaders(daemon.dataDir),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`health: HTTP ${response.status}`);
  return (await response.json()) as HealthFigures;
}

/** One unlabelled sample from /metrics (e.g. `crosscheck_scheduler_lag_p99_seconds`). */
export async function fetchMetric(daemon: DaemonProcess, name: string): Promise<number | null> {
  const response = await fetch(`${daemon.apiUrl}/metrics`, {
    headers: benchAuthHeaders(daemon.dataDir),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}
