import type { Clock } from '../lib/clock.ts';
import type { Store } from '../store/types.ts';

/** Live figures only a running daemon has. */
export interface RuntimeFigures {
  pid: number;
  nodeId: string;
  startedAt: number;
  checksPerSecond: number;
  scheduler: { jobs: number; inFlight: number; queued: number; runsSkipped: number };
  ingest: { pending: number; dropped: number };
  memory: { rssBytes: number; heapUsedBytes: number; externalBytes: number };
}

/** What `crosscheck health` prints. */
export interface HealthView {
  version: string;
  running: boolean;
  dataDir: string;
  database: { path: string; sizeBytes: number };
  monitors: { total: number; active: number; paused: number };
  results: number;
  openIncidents: number;
  uptimeMs: number | null;
  checksPerSecond: number | null;
  runtime: RuntimeFigures | null;
}

export interface HealthService {
  health(): Promise<HealthView>;
}

export interface HealthDeps {
  store: Store;
  clock: Clock;
  version: string;
  dataDir: string;
  databasePath: string;
  /** Present in a running daemon. */
  runtime?: () => RuntimeFigures;
}

/** Builds the health service (daemon: live figures; offline: the store's figures only). */
export function createHealthService(deps: HealthDeps): HealthService {
  return {
    async health() {
      const [stats, monitors] = await Promise.all([deps.store.stats(), deps.store.listMonitors()]);
      const paused = monitors.filter((m) => m.paused).length;
      const runtime = deps.runtime?.() ?? null;
      return {
        version: deps.version,
        running: runtime !== null,
        dataDir: deps.dataDir,
        database: { path: deps.databasePath, sizeBytes: stats.sizeBytes },
        monitors: { total: monitors.length, active: monitors.length - paused, paused },
        results: stats.results,
        openIncidents: stats.openIncidents,
        uptimeMs: runtime ? deps.clock.now() - runtime.startedAt : null,
        checksPerSecond: runtime ? Math.round(runtime.checksPerSecond * 100) / 100 : null,
        runtime,
      };
    },
  };
}
