import type { AgentHub } from '../cluster/coordinator/agent-hub.ts';
import type { Ingestor } from '../cluster/coordinator/ingest.ts';
import type { MonitorChange } from '../domain/monitor-change.ts';
import type { MembershipTracker } from '../cluster/coordinator/membership-tracker.ts';
import type { Logger } from '../observability/logger.ts';
import type { CheckEngine } from './check-engine.ts';
import type { CoordinatorAlerting } from './coordinator-alerting.ts';
import type { CoordinatorConsensus } from './coordinator-consensus.ts';
import type { CoordinatorDatabase } from './coordinator-database.ts';
import type { PushTracker } from './coordinator-push.ts';
import { startHousekeeping } from './housekeeping.ts';
import type { NodeContext } from './node-context.ts';
import type { RawWindowKeeper } from './storage-budget.ts';

/** The parts only the lease holder runs; a follower builds them for its API and never starts them. */
export interface LeaderParts {
  alerting: CoordinatorAlerting;
  engine: CheckEngine;
  membership: MembershipTracker;
  consensus: CoordinatorConsensus;
  ingestor: Ingestor;
  push: PushTracker;
}

/** The leader plane started: stopped in dependency order, results flushed, a last rollup. */
export interface RunningLeaderPlane {
  stop(): Promise<void>;
  /** For a start that failed after this one: frees the housekeeping timer, runs nothing. */
  close(): Promise<void>;
}

/**
 * Starts the leader plane: alert dispatch, own checks, membership judgement, rounds and
 * housekeeping. `peerListeningSince` starts every node's grace period to reconnect.
 */
export async function startLeaderPlane(
  parts: LeaderParts,
  deps: {
    ctx: NodeContext;
    database: CoordinatorDatabase;
    rawWindow: RawWindowKeeper;
    log: Logger;
    peerListeningSince: number;
  },
): Promise<RunningLeaderPlane> {
  const { ctx, log } = deps;
  parts.alerting.start();
  parts.engine.start();
  parts.membership.start(deps.peerListeningSince);
  parts.consensus.start();
  const housekeeping = startHousekeeping({
    store: deps.database.store,
    clock: ctx.clock,
    logger: log,
    retention: ctx.config.retention,
    rawWindow: deps.rawWindow,
    passes: await deps.database.passes,
  });
  return {
    close: () => housekeeping.close(),
    async stop() {
      await stopLeaderParts(parts);
      await housekeeping.stop();
      await housekeeping
        .runOnce()
        .catch((error: unknown) => log.error({ err: error }, 'final rollup failed'));
      await housekeeping.close();
    },
  };
}

/**
 * Stops the leader's parts, started or not (a follower's were only built): checks end, results
 * still held are written, the dispatcher finishes its sends.
 */
export async function stopLeaderParts(parts: LeaderParts): Promise<void> {
  parts.membership.stop();
  await parts.engine.stop();
  parts.push.stop();
  await parts.consensus.stop();
  await parts.ingestor.stop();
  await parts.alerting.stop();
}

/**
 * A committed monitor change, applied to the parts that run or judge monitors (built, started
 * or not: a follower's keep the monitor set its API answers from).
 */
export function applyMonitorChange(
  change: MonitorChange,
  parts: Pick<LeaderParts, 'engine' | 'ingestor' | 'consensus' | 'push'> & {
    hub: Pick<AgentHub, 'monitorChanged'>;
  },
): void {
  parts.push.monitorChanged(change);
  if (change.type === 'removed') {
    parts.engine.remove(change.id);
    parts.ingestor.forget(change.id);
    parts.consensus.vantage.forget(change.id);
    parts.consensus.runner.monitorRemoved(change.id);
  } else {
    parts.engine.upsert(change.monitor);
  }
  parts.hub.monitorChanged(change);
}
