import type { LeaseHolder } from '../domain/node.ts';
import type { Clock } from '../lib/clock.ts';
import type { Store } from '../store/types.ts';

/** Live figures only a running daemon has. */
export interface RuntimeFigures {
  pid: number;
  nodeId: string;
  startedAt: number;
  checksPerSecond: number;
  scheduler: { jobs: number; inFlight: number; queued: number; runsSkipped: number };
  /**
   * Results waiting for the store. Coordinator: `limit` bounds `pending`; `waiting` counts
   * agents' results refused admission at that bound (still in their outboxes).
   */
  ingest: { pending: number; dropped: number; limit?: number; waiting?: number };
  memory: { rssBytes: number; heapUsedBytes: number; externalBytes: number };
}

/** This node's place in the cluster, as `health` shows it. */
export interface ClusterHealth {
  role: 'coordinator' | 'agent';
  nodeId: string;
  name: string;
  region: string | null;
  /** Coordinator: the peer port address it listens on. */
  peerAddress?: string;
  /** Agent: its coordinator and whether the channel is up. */
  coordinator?: { address: string; name: string; connected: boolean; clockOffsetMs: number | null };
  /** Agent: results waiting for the coordinator's acknowledgement. */
  outbox?: { backlog: number; dropped: number; heldInMemory?: number };
  /** Agent: results this process wrote to its outbox since it started. */
  resultsProduced?: number;
  /**
   * Coordinator: whether it runs the leader plane, and who holds the leader lease (itself, another
   * coordinator, or nobody between leaders).
   */
  lease?: { leading: boolean; holder: LeaseHolder | null };
  /** This node's canaries: how many it runs and how many fail now. */
  canaries?: { total: number; failing: number };
  /** Monitors this node's own results hold suspect now. */
  suspects?: number;
}

/** The raw-results window and the storage budget that may shorten it (coordinator). */
export interface StorageHealth {
  /** `--storage-budget` in bytes; null when none is set. */
  budgetBytes: number | null;
  /** `--retain-results`. */
  configuredRawWindowMs: number;
  /** The raw window the last prune pass used (the configured one before the first). */
  rawWindowMs: number;
  /** The floor the budget never shrinks the window below. */
  floorMs: number;
  /** What set the window at the last measurement; null before the first or with no budget. */
  limitedBy: 'retention' | 'budget' | 'floor' | 'unmeasured' | null;
  /** True when even the floor does not fit: the database outgrows the budget. */
  overBudget: boolean;
  /** Bytes of pages in use plus the WAL at the last measurement; null before it. */
  usedBytes: number | null;
  /** Bytes one raw result costs at the last measurement; null before it. */
  bytesPerResult: number | null;
  /** Epoch ms of the last measurement; null before it. */
  measuredAt: number | null;
}

/** What `crosscheck health` prints. */
export interface HealthView {
  version: string;
  running: boolean;
  dataDir: string;
  /** Null on an agent, which keeps no database (the coordinator stores everything). */
  database: { path: string; sizeBytes: number } | null;
  monitors: { total: number; active: number; paused: number };
  results: number | null;
  openIncidents: number | null;
  uptimeMs: number | null;
  checksPerSecond: number | null;
  runtime: RuntimeFigures | null;
  /** Null when the data dir was never initialised as a cluster node. */
  cluster: ClusterHealth | null;
  /** The raw window and storage budget of a running coordinator; null otherwise. */
  storage: StorageHealth | null;
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
  cluster?: () => ClusterHealth | Promise<ClusterHealth>;
  storage?: () => StorageHealth;
}

/** Builds the health service (daemon: live figures; offline: the store's figures only). */
export function createHealthService(deps: HealthDeps): HealthService {
  return {
    async health() {
      const stats = await deps.store.stats();
      const { monitors: total, pausedMonitors: paused } = stats;
      const runtime = deps.runtime?.() ?? null;
      return {
        version: deps.version,
        running: runtime !== null,
        dataDir: deps.dataDir,
        database: { path: deps.databasePath, sizeBytes: stats.sizeBytes },
        monitors: { total, active: total - paused, paused },
        results: stats.results,
        openIncidents: stats.openIncidents,
        uptimeMs: runtime ? deps.clock.now() - runtime.startedAt : null,
        checksPerSecond: runtime ? Math.round(runtime.checksPerSecond * 100) / 100 : null,
        runtime,
        cluster: (await deps.cluster?.()) ?? null,
        storage: deps.storage?.() ?? null,
      };
    },
  };
}
