import type { ConfigFileOptions } from './config-file-watch.ts';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { CheckRunner } from '../agent/check-runner.ts';
import type { dataDirPaths } from '../config/data-dir.ts';
import { readOptionalFile, writePrivateFile } from '../config/data-dir.ts';
import type { NodeConfig } from '../config/node-config.ts';
import type { DatabaseChoice } from '../config/database-config.ts';
import type { NodeIdentity } from '../config/node-identity.ts';
import { formatHostPort } from '../cluster/pki/tls-options.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { RuntimeFigures } from '../services/health-service.ts';
import type { CheckEngine } from './check-engine.ts';
import type { DaemonInfo } from './daemon-lock.ts';
import { VERSION } from '../config/version.ts';

/** A started node; `stop` shuts it down gracefully (drains checks, flushes results). */
export interface RunningNode {
  nodeId: string;
  apiUrl: string;
  role: 'coordinator' | 'agent';
  stop(): Promise<void>;
  /**
   * Rejects when the node cannot go on by itself (a coordinator that could not rebuild its
   * planes after the lease changed hands); whoever runs it then stops it and exits.
   */
  ended?: Promise<never>;
}

/** What both composition roots receive from `startNode`. */
export interface NodeContext {
  config: NodeConfig;
  identity: NodeIdentity;
  logger: Logger;
  clock: Clock;
  paths: ReturnType<typeof dataDirPaths>;
  /** Runs the node's checks and canaries; tests pass one with a broken check type. */
  runCheck?: CheckRunner;
  /**
   * The node runs the registry's checks on the system clock, so they may run on check threads
   * (a test's own runner or clock cannot cross to a thread).
   */
  checkThreadsAllowed: boolean;
  /** The coordinator's database (SQLite file or PostgreSQL); undefined on an agent. */
  database: DatabaseChoice | undefined;
  /** `start --config`: a file applied at start and on change (coordinator only). */
  configFile?: ConfigFileOptions;
  /** Undo steps run (in reverse) if startup fails part way. */
  cleanups: (() => Promise<void> | void)[];
}

/** The live figures of a running node for `health`, from its engine and its result buffer. */
export function runtimeFigures(
  engine: CheckEngine,
  nodeId: string,
  startedAt: number,
  ingest: RuntimeFigures['ingest'],
): RuntimeFigures {
  const s = engine.stats();
  return {
    pid: process.pid,
    nodeId,
    startedAt,
    checksPerSecond: engine.checksPerSecond(),
    scheduler: { jobs: s.jobs, inFlight: s.inFlight, queued: s.queued, runsSkipped: s.runsSkipped },
    ingest,
    memory: memoryFigures(),
  };
}

/** Process memory figures for health. */
export function memoryFigures(): {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
} {
  const usage = process.memoryUsage();
  return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external };
}

/** Starts listening; an address in use or not allowed becomes a clear UNAVAILABLE error. */
export async function listenOrExplain(
  api: FastifyInstance,
  address: { host: string; port: number },
  flag: string,
): Promise<void> {
  try {
    await api.listen(address);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${address.host}:${address.port}`;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new AppError(
        'UNAVAILABLE',
        `cannot serve the API on ${where} (${code}); choose another address with ${flag}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Reads a PEM file of this node; a missing one means a broken data dir. */
export function readPem(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError(
      'UNAVAILABLE',
      `the ${what} (${file}) cannot be read; is this the right --data-dir?`,
      {
        cause: error,
      },
    );
  }
}

/** Reads a small private file, creating it with random content (mode 0600) when absent. */
export function readOrCreateSecret(file: string): string {
  const existing = readOptionalFile(file)?.trim();
  if (existing) return existing;
  const value = randomBytes(32).toString('hex');
  writePrivateFile(file, value);
  return value;
}

/** Writes daemon.json (how the CLI finds this daemon) and returns the API URL. */
export function writeDaemonInfo(
  paths: NodeContext['paths'],
  api: FastifyInstance,
  configured: { host: string; port: number },
  info: { nodeId: string; startedAt: number; peerAddress?: string },
): string {
  const address = api.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : configured.port;
  const apiUrl = `http://${formatHostPort(configured.host, port)}`;
  const daemon: DaemonInfo = { pid: process.pid, apiUrl, version: VERSION, ...info };
  writePrivateFile(paths.daemonInfo, JSON.stringify(daemon));
  return apiUrl;
}
