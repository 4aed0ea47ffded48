import { describe } from 'node:test';
import { authContract } from './contract/auth.ts';
import { clusterContract } from './contract/cluster.ts';
import { consensusContract } from './contract/consensus.ts';
import { deliveryContract } from './contract/deliveries.ts';
import { degradedEpisodeContract } from './contract/degraded-episodes.ts';
import { alertTruthContract } from './contract/alert-truth.ts';
import { acknowledgementContract } from './contract/acknowledgement.ts';
import { bulkMonitorContract } from './contract/bulk-monitors.ts';
import { paginationContract } from './contract/pagination.ts';
import type { MakeStore } from './contract/fixtures.ts';
import { incidentContract } from './contract/incidents.ts';
import { maintenanceContract } from './contract/maintenance.ts';
import { managedObjectContract } from './contract/managed-objects.ts';
import { alertTargetContract } from './contract/alert-targets.ts';
import { statusPageContract } from './contract/status-pages.ts';
import { ingestContract } from './contract/ingest.ts';
import { evidenceContract } from './contract/evidence.ts';
import { monitorContract } from './contract/monitors.ts';
import { nodeHealthContract } from './contract/node-health.ts';
import { leaderFenceContract } from './contract/leader-fence.ts';
import { overviewReadsContract } from './contract/overview-reads.ts';
import { pruneAndStatsContract } from './contract/prune-stats.ts';
import { rollupContract } from './contract/rollups.ts';
import { resultCountsContract } from './contract/result-counts.ts';
import { uptimeContract } from './contract/uptime.ts';
import { pushStateContract } from './contract/push-states.ts';

export type { MakeStore, StoreUnderTest } from './contract/fixtures.ts';

/**
 * The Store contract as a node:test suite. Every backend runs it: `makeStore` returns a
 * fresh, empty store per test and a cleanup that closes it and removes its data.
 */
export function runStoreContract(name: string, makeStore: MakeStore): void {
  // node:test tracks the promise describe() returns; nothing to await here.
  void describe(`Store contract: ${name}`, () => {
    void describe('monitors', () => monitorContract(makeStore));
    void describe('commitBatch', () => ingestContract(makeStore));
    void describe('incidents', () => incidentContract(makeStore));
    void describe('alert deliveries', () => deliveryContract(makeStore));
    void describe('closing alerts and retractions', () => alertTruthContract(makeStore));
    void describe('rollup', () => rollupContract(makeStore));
    void describe('result counts', () => resultCountsContract(makeStore));
    void describe('uptime', () => uptimeContract(makeStore));
    void describe('overview reads', () => overviewReadsContract(makeStore));
    void describe('prune and stats', () => pruneAndStatsContract(makeStore));
    void describe('cluster', () => clusterContract(makeStore));
    void describe('consensus', () => consensusContract(makeStore));
    void describe('node health', () => nodeHealthContract(makeStore));
    void describe('auth', () => authContract(makeStore));
    void describe('incident acknowledgement', () => acknowledgementContract(makeStore));
    void describe('pagination', () => paginationContract(makeStore));
    void describe('bulk monitor writes', () => bulkMonitorContract(makeStore));
    void describe('maintenance windows', () => maintenanceContract(makeStore));
    void describe('alert targets and routing rules', () => alertTargetContract(makeStore));
    void describe('degraded episodes', () => degradedEpisodeContract(makeStore));
    void describe('status pages and incident updates', () => statusPageContract(makeStore));
    void describe('config applies (managed objects)', () => managedObjectContract(makeStore));
    void describe('push monitor states', () => pushStateContract(makeStore));
    void describe('browser evidence', () => evidenceContract(makeStore));
    void describe('leader write fencing', () => leaderFenceContract(makeStore));
  });
}
