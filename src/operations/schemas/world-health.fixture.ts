import path from 'node:path';
import type { HealthDeps } from '../../services/health-service.ts';
import type { Store } from '../../store/types.ts';
import type { FakeClock } from '../../../test/helpers/fake-clock.ts';

// What the health operation reads in the schema world (world.fixture.ts): a coordinator's or an
// agent's runtime and cluster place, or only the store when the daemon is offline.

const HOUR = 3_600_000;

/** Which health the process reports: a coordinator daemon, an agent daemon, the store offline. */
export type HealthShape = 'coordinator' | 'agent' | 'offline';

export function healthDeps(
  store: Store,
  clock: FakeClock,
  dir: string,
  shape: HealthShape,
): HealthDeps {
  const base = {
    store,
    clock,
    version: 'test',
    dataDir: dir,
    databasePath: path.join(dir, 'crosscheck.db'),
  };
  if (shape === 'offline') return base;
  const runtime = () => ({
    pid: process.pid,
    nodeId: 'n-coord',
    startedAt: clock.now() - HOUR,
    checksPerSecond: 1.234,
    scheduler: { jobs: 2, inFlight: 1, queued: 0, runsSkipped: 0 },
    ingest: { pending: 0, dropped: 0 },
    memory: { rssBytes: 1_000_000, heapUsedBytes: 500_000, externalBytes: 1_000 },
  });
  const place = { nodeId: 'n-coord', name: 'coord', region: 'eu-west' };
  return {
    ...base,
    runtime,
    cluster:
      shape === 'coordinator'
        ? () => ({ ...place, role: 'coordinator', peerAddress: '127.0.0.1:7433', suspects: 0 })
        : () => ({
            ...place,
            role: 'agent',
            coordinator: {
              address: '127.0.0.1:7433',
              name: 'c',
              connected: true,
              clockOffsetMs: 2,
            },
            outbox: { backlog: 3, dropped: 0 },
            resultsProduced: 40,
            canaries: { total: 2, failing: 1 },
          }),
    ...(shape === 'coordinator'
      ? {
          storage: () => ({
            budgetBytes: 20e9,
            configuredRawWindowMs: 7 * 24 * HOUR,
            rawWindowMs: 30 * HOUR,
            floorMs: HOUR,
            limitedBy: 'budget' as const,
            overBudget: false,
            usedBytes: 19e9,
            bytesPerResult: 255.2,
            measuredAt: clock.now() - HOUR,
          }),
        }
      : {}),
  };
}
