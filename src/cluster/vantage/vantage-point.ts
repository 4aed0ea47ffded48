import { runCheck as engineRunCheck } from '../../agent/check-runner.ts';
import { checkTypeSchema } from '../../checks/registry.ts';
import {
  applyLocalResult,
  INITIAL_LOCAL_VIEW,
  isFailing,
  localOutcome,
} from '../../consensus/local-hysteresis.ts';
import type { LocalView } from '../../consensus/local-hysteresis.ts';
import type { CheckResult, RecordedResult } from '../../domain/check-result.ts';
import type { NodeSignal, ProbeCheck, VoteEvidence, VoteReply } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../observability/logger.ts';
import type { CanarySpec } from '../../checks/canary-spec.ts';
import type { CanaryStatus, RunCheck } from './canaries.ts';
import { Semaphore } from '../../lib/semaphore.ts';
import { createCanaryRunner } from './canaries.ts';
import { evidenceOf, noCheckEvidence } from './evidence.ts';
import { judgeByCanaries } from './node-fault.ts';

/** Canaries run this often unless told otherwise. */
export const DEFAULT_CANARY_INTERVAL_MS = 15_000;

export interface VantagePointOptions {
  clock: Clock;
  logger: Logger;
  nodeId: string;
  /** The monitors this node's check engine knows, by id. */
  monitors: () => ReadonlyMap<string, Monitor>;
  canaries: readonly CanarySpec[];
  canaryIntervalMs?: number;
  runCheck?: RunCheck;
  /**
   * Most votes and probes checking at once (default 256). When a whole network fails every
   * monitor is voted on together; beyond this they queue (an answer past its deadline is
   * recorded as late).
   */
  maxConcurrentChecks?: number;
}

/** A monitor this node holds suspect, as the `views` message carries it. */
export interface SuspectView {
  monitorId: string;
  since: number;
  /** This node's latest failing result for it. */
  evidence: VoteEvidence;
}

/** One node's part in consensus: its own hysteresis, its votes, probes and canaries. */
export interface VantagePoint {
  /**
   * Judges a fresh result of this node before it is recorded: a failing result while most of
   * this node's canaries fail (a canary run that started no earlier than about when the check
   * did, shared) becomes an `error` of this node. Other results come back as they are, at once.
   */
  judge(
    monitor: Monitor,
    result: CheckResult,
    checkedAt: number,
  ): CheckResult | Promise<CheckResult>;
  /** Feeds one of this node's (judged) results; returns the signal it triggers, if any. */
  observe(result: RecordedResult): NodeSignal | null;
  /** Drops what this node remembers about a monitor (it was removed). */
  forget(monitorId: string): void;
  /** Every monitor this node holds suspect and whose latest result failed. */
  suspects(): SuspectView[];
  /** Runs the monitor's check now and answers fail / ok / abstain. */
  vote(monitorId: string): Promise<VoteReply>;
  /** Runs one ad-hoc check now. */
  probe(check: ProbeCheck): Promise<VoteEvidence>;
  canaries(): CanaryStatus;
  /** More than half of the canaries' latest results fail (false with none or before they ran). */
  canariesFailing(): boolean;
  /** Starts the canaries (all now, then every interval). */
  start(): void;
  /** Stops the canaries and aborts every check in flight. */
  stop(): Promise<void>;
}

interface Tracked {
  view: LocalView;
  /** While suspect: the `since` of the suspect signal. */
  suspectSince: number | null;
  /** The latest failing result; kept for the `views` message. */
  lastFailure: VoteEvidence | null;
  /** The latest result was a node error: this node cannot tell now, so it reports no view. */
  nodeError: boolean;
}

/** Builds a node's vantage point; shared by agents and the coordinator. */
export function createVantagePoint(options: VantagePointOptions): VantagePoint {
  const { clock, nodeId } = options;
  const log = options.logger.child({ part: 'vantage' });
  const run = options.runCheck ?? engineRunCheck;
  const gate = new Semaphore(options.maxConcurrentChecks ?? 256);
  const canaries = createCanaryRunner({
    clock,
    logger: options.logger,
    nodeId,
    canaries: options.canaries,
    intervalMs: options.canaryIntervalMs ?? DEFAULT_CANARY_INTERVAL_MS,
    runCheck: run,
  });
  // Only monitors with a failing streak or a suspect view are kept: every other view behaves
  // exactly like a fresh one, so 30k healthy monitors cost no memory here.
  const tracked = new Map<string, Tracked>();
  let shutdown = new AbortController();

  function observe(result: RecordedResult): NodeSignal | null {
    const monitor = options.monitors().get(result.monitorId);
    if (monitor === undefined) return null;
    const outcome = localOutcome(result.status, monitor.degradedIsDown);
    const current = tracked.get(monitor.id);
    if (outcome === 'node-error') {
      // Moves no streak and sends no signal; only hides this node's suspect view meanwhile.
      if (current !== undefined) tracked.set(monitor.id, { ...current, nodeError: true });
      return null;
    }
    const failing = outcome === 'failing';
    const step = applyLocalResult(
      current?.view ?? INITIAL_LOCAL_VIEW,
      { outcome, checkedAt: result.checkedAt },
      monitor,
    );
    // Only a failure or a signal keeps evidence: a healthy result (nearly all) builds none.
    const evidence = failing || step.signal !== null ? evidenceOf(result, result.checkedAt) : null;
    const lastFailure = failing ? evidence : (current?.lastFailure ?? null);
    const suspectSince = !step.view.suspect
      ? null
      : step.signal?.kind === 'suspect'
        ? step.signal.since
        : (current?.suspectSince ?? result.checkedAt);
    if (step.view.suspect || step.view.failures > 0)
      tracked.set(monitor.id, { view: step.view, suspectSince, lastFailure, nodeError: false });
    else tracked.delete(monitor.id);
    if (step.signal === null || evidence === null) return null;
    const signal: NodeSignal = {
      monitorId: monitor.id,
      kind: step.signal.kind,
      since: step.signal.since,
      evidence,
      canariesFailing: canaries.failing(),
    };
    log.info(
      { nodeId, monitorId: monitor.id, kind: signal.kind, since: signal.since },
      signal.kind === 'suspect' ? 'monitor suspect from this node' : 'monitor recovered here',
    );
    return signal;
  }

  async function vote(monitorId: string): Promise<VoteReply> {
    const monitor = options.monitors().get(monitorId);
    if (monitor === undefined)
      return {
        outcome: 'abstain',
        evidence: noCheckEvidence(`node ${nodeId} does not have monitor ${monitorId}`),
        canariesFailing: canaries.failing(),
      };
    const signal = shutdown.signal;
    const voteStartedAt = clock.now();
    let checkedAt = voteStartedAt;
    // The canaries run beside the check (one shared run for a mass vote), so a `fail` carries
    // this node's health as of now, not as of its last periodic canary run.
    const [result, health] = await Promise.all([
      gate.run(() => {
        checkedAt = clock.now();
        return run(monitor, { signal, logger: log, monitorId });
      }),
      canaries.fresh({ startedAt: voteStartedAt, timeoutMs: monitor.timeoutMs }),
    ]);
    const canariesFailing = health.majorityFailing;
    if (signal.aborted)
      return {
        outcome: 'abstain',
        evidence: noCheckEvidence(`node ${nodeId} is shutting down`),
        canariesFailing,
      };
    if (result.status === 'error')
      return {
        outcome: 'abstain',
        evidence: evidenceOf(result, checkedAt, `abstained: node ${nodeId} could not check`),
        canariesFailing,
      };
    if (!isFailing(result.status, monitor.degradedIsDown))
      return { outcome: 'ok', evidence: evidenceOf(result, checkedAt), canariesFailing };
    if (!canariesFailing)
      return { outcome: 'fail', evidence: evidenceOf(result, checkedAt), canariesFailing };
    const { failing, total } = health;
    return {
      outcome: 'abstain',
      evidence: evidenceOf(result, checkedAt, `abstained: ${failing} of ${total} canaries failing`),
      canariesFailing,
    };
  }

  /**
   * Only a failing result of a node with canaries waits (at most one canary timeout); every
   * other result is returned as is, without a promise (this runs for every check).
   */
  function judge(
    monitor: Monitor,
    result: CheckResult,
    checkedAt: number,
  ): CheckResult | Promise<CheckResult> {
    if (options.canaries.length === 0 || !isFailing(result.status, monitor.degradedIsDown))
      return result;
    return canaries
      .fresh({ startedAt: checkedAt, timeoutMs: monitor.timeoutMs })
      .then((health) => judgeByCanaries(result, health));
  }

  async function probe(check: ProbeCheck): Promise<VoteEvidence> {
    // The message parser already checked the type; the domain type is a plain string.
    const type = checkTypeSchema.safeParse(check.type);
    if (!type.success) return noCheckEvidence(`unknown check type ${check.type}`);
    let checkedAt = clock.now();
    const result = await gate.run(() => {
      checkedAt = clock.now();
      return run(
        {
          type: type.data,
          target: check.target,
          options: check.options,
          timeoutMs: check.timeoutMs,
        },
        { signal: shutdown.signal, logger: log },
      );
    });
    return evidenceOf(result, checkedAt);
  }

  return {
    judge,
    observe,
    forget: (monitorId) => void tracked.delete(monitorId),
    suspects() {
      const out: SuspectView[] = [];
      for (const [monitorId, { view, suspectSince, lastFailure, nodeError }] of tracked) {
        // A suspect monitor whose latest result passed is recovering, and one whose latest
        // result was a node error cannot be judged now: reporting either as failing after a
        // reconnect would let a stale view start a round.
        if (suspectSince === null || lastFailure === null || view.failures === 0 || nodeError)
          continue;
        out.push({ monitorId, since: suspectSince, evidence: lastFailure });
      }
      return out;
    },
    vote,
    probe,
    canaries: () => canaries.status(),
    canariesFailing: () => canaries.failing(),
    start() {
      if (shutdown.signal.aborted) shutdown = new AbortController();
      canaries.start();
    },
    async stop() {
      shutdown.abort(new Error('node stopping'));
      await canaries.stop();
    },
  };
}
