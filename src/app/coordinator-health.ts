import type { Ingestor } from '../cluster/coordinator/ingest.ts';
import type { LeaseHolder } from '../domain/node.ts';
import { VERSION } from '../config/version.ts';
import type { Clock } from '../lib/clock.ts';
import {
  createHealthService,
  type HealthService,
  type StorageHealth,
} from '../services/health-service.ts';
import type { Store } from '../store/types.ts';
import type { CheckEngine } from './check-engine.ts';
import type { CoordinatorConsensus } from './coordinator-consensus.ts';
import { runtimeFigures } from './node-context.ts';

export interface CoordinatorHealthDeps {
  store: Store;
  clock: Clock;
  nodeId: string;
  name: string;
  region: string | null;
  dataDir: string;
  databasePath: string;
  startedAt: number;
  engine: CheckEngine;
  ingestor: Ingestor;
  consensus: CoordinatorConsensus;
  /** Read on each call: the peer port is known only once the peer server listens. */
  peerAddress: () => string;
  /** The raw window and storage budget (from the housekeeping's keeper). */
  storage: () => StorageHealth;
  /** Whether this composition runs the leader plane. */
  leading: boolean;
  leaseHolder: () => Promise<LeaseHolder | null>;
}

/** `health` as the coordinator answers it: the store's figures, this run's and the cluster's. */
export function createCoordinatorHealth(deps: CoordinatorHealthDeps): HealthService {
  const { engine, ingestor, consensus } = deps;
  return createHealthService({
    store: deps.store,
    clock: deps.clock,
    version: VERSION,
    dataDir: deps.dataDir,
    databasePath: deps.databasePath,
    runtime: () => {
      const i = ingestor.stats();
      return runtimeFigures(engine, deps.nodeId, deps.startedAt, {
        pending: i.pending,
        dropped: i.dropped,
        limit: i.limit,
        waiting: i.waiting,
      });
    },
    storage: deps.storage,
    cluster: async () => ({
      role: 'coordinator',
      nodeId: deps.nodeId,
      name: deps.name,
      region: deps.region,
      peerAddress: deps.peerAddress(),
      canaries: consensus.vantage.canaries(),
      suspects: consensus.vantage.suspects().length,
      lease: { leading: deps.leading, holder: await deps.leaseHolder() },
    }),
  });
}
