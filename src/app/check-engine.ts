import { runCheck as defaultRunCheck } from '../agent/check-runner.ts';
import type { CheckRunner } from '../agent/check-runner.ts';
import type { NodePlacement } from '../cluster/assignment.ts';
import { coordinatorOnly, selectorMatches } from '../cluster/assignment.ts';
import type { CheckResult, CheckStatus, RecordedResult } from '../domain/check-result.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { Clock } from '../lib/clock.ts';
import { newResultId } from '../lib/ids.ts';
import { TokenBucket } from '../lib/token-bucket.ts';
import type { Logger } from '../observability/logger.ts';
import { RateMeter } from '../observability/rate-meter.ts';
import { createScheduler } from '../scheduler/scheduler.ts';
import { CheckThreadLane } from './check-threads/check-thread-lane.ts';
import type { CheckThreadsSetting } from './check-threads/check-thread-lane.ts';
import { LateChecks } from './late-checks.ts';
import type { MonitorJob } from './monitor-jobs.ts';
import { jobOf } from './monitor-jobs.ts';

/** A check starting this much after its slot counts as late. */
const LATE_MS = 5_000;
/**
 * New monitors checked at once rather than at their grid slot: enough for any hand-made
 * change, while a bulk create of 100,000 does not start 100,000 checks in one burst (it held
 * every running check up to a second late); the rest start at their slot, within one interval.
 */
const FIRST_RUNS_NOW = { perSecond: 50, burst: 100 };

export interface CheckEngineOptions {
  clock: Clock;
  logger: Logger;
  concurrency: number;
  nodeId: string;
  /** This node's region and labels: it runs only the monitors whose selector matches. */
  placement: NodePlacement;
  /** The coordinator's engine: it also runs the monitors only it judges (push). */
  coordinator?: boolean;
  onResult(result: RecordedResult): void;
  observeCheck?(type: string, status: CheckStatus, latencyMs: number, startLagMs: number): void;
  /**
   * Judges each result before it is counted and recorded (the vantage point's canary rule:
   * a failing result of a node whose own network is down becomes that node's `error`).
   */
  judgeResult?(
    monitor: Monitor,
    result: CheckResult,
    checkedAt: number,
  ): CheckResult | Promise<CheckResult>;
  /** Runs the checks (the registry's runner unless a test passes another). */
  runCheck?: CheckRunner;
  /**
   * Check threads for the registry's checks (`--check-threads`); none when omitted (a test's
   * own `runCheck` cannot cross to a thread).
   */
  threads?: CheckThreadsSetting;
}

/** The monitors this node knows and runs: a scheduler fed by monitor changes, results out. */
export interface CheckEngine {
  /** Every known monitor (also those this node does not run), by id. */
  readonly monitors: ReadonlyMap<string, Monitor>;
  /** Replaces the whole set (a config snapshot). */
  replaceAll(monitors: Iterable<Monitor>): void;
  upsert(monitor: Monitor): void;
  remove(id: string): void;
  /** Runs a monitor's check now (a push monitor's ping arrived); false when it does not run here. */
  runNow(id: string): boolean;
  start(): void;
  /** Aborts running checks and stops scheduling. */
  stop(): Promise<void>;
  stats(): ReturnType<ReturnType<typeof createScheduler<MonitorJob>>['stats']>;
  checksPerSecond(): number;
}

/**
 * A result as recorded, built field by field in one literal (one object shape for every result)
 * rather than spread and extended.
 */
function recorded(
  result: CheckResult,
  monitorId: string,
  nodeId: string,
  checkedAt: number,
): RecordedResult {
  const out: RecordedResult = {
    status: result.status,
    latencyMs: result.latencyMs,
    timings: result.timings,
    message: result.message,
    details: result.details,
    id: newResultId(),
    monitorId,
    nodeId,
    checkedAt,
  };
  if (result.errorKind !== undefined) out.errorKind = result.errorKind;
  if (result.evidence !== undefined) out.evidence = result.evidence;
  return out;
}

/** Builds the engine; shared by the coordinator and agents. */
export function createCheckEngine(options: CheckEngineOptions): CheckEngine {
  const { clock, nodeId } = options;
  const log = options.logger;
  const monitors = new Map<string, Monitor>();
  const rate = new RateMeter(60);
  const shutdown = new AbortController();
  const runCheck = options.runCheck ?? defaultRunCheck;
  const late = new LateChecks(log, clock);

  /**
   * Judges, counts and records one finished check, wherever it ran. Resolves once recorded
   * (a failing result with canaries to consult waits for them; most return at once).
   */
  function deliver(
    monitor: Monitor,
    raw: CheckResult,
    checkedAt: number,
    plannedAt: number,
  ): Promise<void> | undefined {
    // Most results are judged at once; only a failing one with canaries to consult waits, so
    // the common case costs no extra promise turn.
    const judged = options.judgeResult ? options.judgeResult(monitor, raw, checkedAt) : raw;
    if (judged instanceof Promise)
      return judged.then((result) => record(monitor, result, checkedAt, plannedAt));
    record(monitor, judged, checkedAt, plannedAt);
    return undefined;
  }

  function record(monitor: Monitor, result: CheckResult, checkedAt: number, plannedAt: number) {
    if (shutdown.signal.aborted) return;
    rate.mark(clock.now());
    options.observeCheck?.(monitor.type, result.status, result.latencyMs, checkedAt - plannedAt);
    options.onResult(recorded(result, monitor.id, nodeId, checkedAt));
    if (checkedAt - plannedAt > LATE_MS) late.note(monitor.id, checkedAt - plannedAt);
  }

  function deliveryFailed(error: unknown, monitorId: string): void {
    log.error({ err: error, monitorId }, 'a check thread result could not be recorded');
  }

  const scheduler = createScheduler<MonitorJob>({
    clock,
    concurrency: options.concurrency,
    logger: log,
    run: async (job, plannedAt) => {
      const monitor = job.monitor;
      const checkedAt = clock.now();
      const raw = await runCheck(monitor, {
        signal: shutdown.signal,
        logger: log,
        monitorId: monitor.id,
      });
      if (shutdown.signal.aborted) return;
      await deliver(monitor, raw, checkedAt, plannedAt);
    },
    onSkip: ({ job, slots, reason }) =>
      log.debug({ monitorId: job.id, slots, reason }, 'check slots skipped'),
  });

  const threads = new CheckThreadLane(options.threads, {
    concurrency: options.concurrency,
    logger: log,
    onResults(results) {
      if (shutdown.signal.aborted) return;
      for (const { monitorId, result, checkedAt, plannedAt } of results) {
        // A deleted monitor's last result goes, as the ingestor would drop it anyway.
        const monitor = monitors.get(monitorId);
        if (monitor === undefined) continue;
        // As the scheduler does for a run on this thread: a bug in judging or recording one
        // result is logged, and the rest of the batch still goes in.
        try {
          deliver(monitor, result, checkedAt, plannedAt)?.catch((error: unknown) =>
            deliveryFailed(error, monitorId),
          );
        } catch (error) {
          deliveryFailed(error, monitorId);
        }
      }
    },
    monitorOf: (id) => monitors.get(id),
    moveFromMain(ids) {
      for (const id of ids) scheduler.remove(id);
    },
  });

  const firstRunsNow = new TokenBucket(FIRST_RUNS_NOW);
  const runsHere = (monitor: Monitor) =>
    !monitor.paused &&
    (coordinatorOnly(monitor)
      ? options.coordinator === true
      : selectorMatches(monitor.nodes, options.placement));

  function upsert(monitor: Monitor): void {
    const previous = monitors.get(monitor.id);
    monitors.set(monitor.id, monitor);
    if (!runsHere(monitor)) {
      unschedule(monitor.id);
      return;
    }
    // `takes` also takes the monitor off the threads when it may no longer run there.
    if (threads.takes(monitor)) {
      scheduler.remove(monitor.id);
      threads.upsert(monitor);
    } else {
      scheduler.upsert(jobOf(monitor));
    }
    // A new or resumed monitor is checked now, not up to one interval later (within a budget).
    if ((!previous || !runsHere(previous)) && firstRunsNow.take(clock.now())) runNowHere(monitor);
  }

  function unschedule(id: string): void {
    scheduler.remove(id);
    threads.remove(id);
  }

  function runNowHere(monitor: Monitor): void {
    if (threads.has(monitor.id)) threads.runNow(monitor.id);
    else scheduler.runNow(monitor.id);
  }

  function remove(id: string): void {
    monitors.delete(id);
    unschedule(id);
  }

  return {
    monitors,
    replaceAll(next) {
      const incoming = new Map([...next].map((m) => [m.id, m]));
      for (const id of [...monitors.keys()]) if (!incoming.has(id)) remove(id);
      for (const monitor of incoming.values()) {
        const current = monitors.get(monitor.id);
        if (current === undefined || current.updatedAt !== monitor.updatedAt) upsert(monitor);
      }
    },
    upsert,
    remove,
    runNow(id) {
      const monitor = monitors.get(id);
      if (monitor === undefined || !runsHere(monitor)) return false;
      runNowHere(monitor);
      return true;
    },
    start() {
      scheduler.start();
      threads.start();
    },
    async stop() {
      shutdown.abort();
      await Promise.all([scheduler.stop(), threads.stop()]);
    },
    stats: () => threads.withStats(scheduler.stats()),
    checksPerSecond: () => rate.perSecond(clock.now()),
  };
}
