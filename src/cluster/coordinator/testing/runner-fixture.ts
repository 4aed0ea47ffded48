import { DEFAULT_VANTAGE_POLICY } from '../../../consensus/vantage-health.ts';
import type { VoteEvidence } from '../../../domain/consensus.ts';
import { newId } from '../../../lib/ids.ts';
import { silentLogger } from '../../../observability/logger.ts';
import type { ConsensusRunnerDeps } from '../consensus-runner.ts';
import type { Monitor } from '../../../domain/monitor.ts';
import type { RecordedResult } from '../../../domain/check-result.ts';
import type { Clock } from '../../../lib/clock.ts';
import type { Store } from '../../../store/types.ts';
import { createIngestor } from '../ingest.ts';
import type { Ingestor } from '../ingest.ts';

// What the runner's integration tests share: its deps with quiet defaults (coordinator `coord`,
// every node online, votes recorded by the test) and the evidence a test node answers with.

/** The runner's deps: the test gives the clock, ingest, monitors, nodes and vote sink. */
export function testRunnerDeps(
  parts: Pick<ConsensusRunnerDeps, 'clock' | 'ingestor' | 'monitors' | 'nodes' | 'requestVote'> &
    Partial<ConsensusRunnerDeps>,
): ConsensusRunnerDeps {
  return {
    logger: silentLogger(),
    selfId: 'coord',
    online: () => true,
    clockOffsetMs: () => 0,
    onNodeHealth: () => undefined,
    newId: (prefix) => newId(prefix),
    impairedAtStart: {},
    impairment: { impairedAfter: 3 },
    openCauses: new Map(),
    voteMarginMs: 2_000,
    recheckMs: 60_000,
    settleMs: 10_000,
    canariesFailing: () => false,
    vantage: DEFAULT_VANTAGE_POLICY,
    ...parts,
  };
}

/** What a test node saw: a refused connection, or HTTP 200. */
export function voteEvidence(failing: boolean, at: number): VoteEvidence {
  return {
    status: failing ? 'down' : 'up',
    latencyMs: 4,
    errorKind: failing ? 'refused' : null,
    message: failing ? 'connection refused' : 'HTTP 200',
    timings: { connectMs: 1 },
    checkedAt: at,
  };
}

/** The real ingest pipeline over a test's store, clock and monitors, loaded and ready. */
export async function startTestIngestor(parts: {
  store: Store;
  clock: Clock;
  monitors: ReadonlyMap<string, Monitor>;
  /** Sees every accepted result (a runner's `observeResult`). */
  onAccepted?: (result: RecordedResult) => void;
}): Promise<Ingestor> {
  const ingestor = createIngestor({
    store: parts.store,
    clock: parts.clock,
    logger: silentLogger(),
    lookupMonitor: (id) => parts.monitors.get(id),
    flushIntervalMs: 200,
    ...(parts.onAccepted === undefined ? {} : { onAccepted: parts.onAccepted }),
  });
  await ingestor.load();
  return ingestor;
}
