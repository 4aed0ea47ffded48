import type { runCheck as defaultRunCheck } from '../../agent/check-runner.ts';
import { getCheck } from '../../checks/registry.ts';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import type { Logger } from '../../observability/logger.ts';
import type { CanarySpec } from '../../checks/canary-spec.ts';
import { canaryName } from '../../checks/canary-spec.ts';

/** The check runner the vantage point uses (the engine's, unless a test passes another). */
export type RunCheck = typeof defaultRunCheck;

/** How many canaries a node runs and how many of them fail now. */
export interface CanaryStatus {
  total: number;
  failing: number;
}

/** A canary status measured moments ago, naming the failing canaries. */
export interface FreshCanaryStatus extends CanaryStatus {
  /** More than half of the canaries fail: this node's own network is the likely problem. */
  majorityFailing: boolean;
  /** `type:target` of each failing canary, in configured order. */
  failingNames: string[];
}

/**
 * A canary run speaks for a check that started at most this long after the run did (or any time
 * before it): close enough to share one run between a mass vote or many failing results, too
 * close for a link that died in between to go unnoticed for long.
 */
export const CANARY_LEAD_MS = 1_000;

/**
 * The longest a canary may take (its type's default, the interval, or the caller's check
 * timeout, if shorter): a canary is a target that answers at once, and a node whose network
 * just went down must learn it within a vote's time, not a full check timeout later.
 */
export const CANARY_TIMEOUT_MS = 2_000;

export interface CanaryRunnerOptions {
  clock: Clock;
  logger: Logger;
  nodeId: string;
  canaries: readonly CanarySpec[];
  intervalMs: number;
  runCheck: RunCheck;
}

/**
 * Runs a node's canaries and keeps the latest outcome of each: on a timer (for heartbeats and
 * logs) and on demand, when a vote or a failing result needs the node's health as of now. Both
 * share one cache and one run in flight.
 */
export interface CanaryRunner {
  status(): CanaryStatus;
  /** More than half of the canaries fail (false with none, or before their first run). */
  failing(): boolean;
  /**
   * The status as of a check that started at `checkStartedAt` (epoch ms, default now): the
   * latest run, or the run in flight, if it started at most `CANARY_LEAD_MS` before the check;
   * else one new run, shared by every caller waiting for one (each canary limited to
   * `canaryTimeoutMs(…, checkTimeoutMs)`). Resolves at once for a node without canaries, and to
   * the latest status once stopped.
   */
  fresh(check?: { startedAt?: number; timeoutMs?: number }): Promise<FreshCanaryStatus>;
  /** Runs every canary now, then every interval. */
  start(): void;
  /** Stops the timer and aborts checks in flight. */
  stop(): Promise<void>;
}

/** The time limit of one canary run (see `CANARY_TIMEOUT_MS`). */
export function canaryTimeoutMs(
  typeDefaultMs: number,
  intervalMs: number,
  checkTimeoutMs?: number,
): number {
  return Math.min(CANARY_TIMEOUT_MS, typeDefaultMs, intervalMs, checkTimeoutMs ?? Infinity);
}

/** The canaries of one node; see `CanaryRunner`. */
export function createCanaryRunner(options: CanaryRunnerOptions): CanaryRunner {
  const { clock, nodeId, canaries, intervalMs } = options;
  const log = options.logger.child({ part: 'canaries' });
  // Latest outcome per canary (index as in `canaries`); undefined until its first run.
  const failed: (boolean | undefined)[] = canaries.map(() => undefined);
  let running = false;
  let stopped = false;
  let timer: TimerHandle | undefined;
  let controller = new AbortController();
  let inFlight: { startedAt: number; done: Promise<void> } | undefined;
  // One more run after the one in flight, for callers that one began too early for.
  let queued: Promise<void> | undefined;
  let inFlightTimer: Promise<void> | undefined;
  // Start time (epoch ms) of the latest run that completed; undefined before the first one.
  let lastRunStartedAt: number | undefined;

  const countFailing = () => failed.filter((f) => f === true).length;
  const majorityFailing = () => canaries.length > 0 && countFailing() * 2 > canaries.length;

  function snapshot(): FreshCanaryStatus {
    return {
      total: canaries.length,
      failing: countFailing(),
      majorityFailing: majorityFailing(),
      failingNames: canaries.filter((_, i) => failed[i] === true).map(canaryName),
    };
  }

  async function runOne(
    spec: CanarySpec,
    index: number,
    signal: AbortSignal,
    checkTimeoutMs: number | undefined,
  ): Promise<void> {
    const defaultMs = getCheck(spec.type).defaultTimeoutMs;
    const timeoutMs = canaryTimeoutMs(defaultMs, intervalMs, checkTimeoutMs);
    const result = await options.runCheck({ ...spec, timeoutMs }, { signal, logger: log });
    if (signal.aborted) return;
    // A canary this node cannot run (an `error`) says as much about its health as one that fails.
    const nowFailing = result.status === 'down' || result.status === 'error';
    const before = failed[index];
    failed[index] = nowFailing;
    const fields = { nodeId, canary: canaryName(spec), message: result.message };
    if (nowFailing && before !== true) log.warn(fields, 'canary failing');
    else if (!nowFailing && before === true) log.info(fields, 'canary recovered');
  }

  async function runAll(startedAt: number, checkTimeoutMs: number | undefined): Promise<void> {
    const signal = controller.signal;
    const wasFailing = majorityFailing();
    await Promise.all(canaries.map((spec, index) => runOne(spec, index, signal, checkTimeoutMs)));
    if (signal.aborted) return;
    lastRunStartedAt = startedAt;
    const nowFailing = majorityFailing();
    const fields = { nodeId, failing: countFailing(), total: canaries.length };
    if (nowFailing && !wasFailing)
      log.warn(fields, 'most canaries fail: this node abstains instead of voting down');
    else if (!nowFailing && wasFailing)
      log.info(fields, 'canaries healthy again: this node votes normally');
  }

  const speaksFor = (runStartedAt: number | undefined, since: number) =>
    runStartedAt !== undefined && runStartedAt >= since;

  function startRun(checkTimeoutMs: number | undefined): Promise<void> {
    const startedAt = clock.now();
    const done = runAll(startedAt, checkTimeoutMs)
      .catch((error: unknown) => log.error({ err: error, nodeId }, 'running the canaries failed'))
      .finally(() => {
        if (inFlight?.done === done) inFlight = undefined;
      });
    inFlight = { startedAt, done };
    return done;
  }

  /**
   * Single flight: the latest run, or the one in flight, if it started at `since` or later;
   * else a new one.
   */
  function refresh(since: number, checkTimeoutMs: number | undefined): Promise<void> {
    if (stopped || canaries.length === 0) return Promise.resolve();
    if (speaksFor(lastRunStartedAt, since)) return Promise.resolve();
    if (inFlight === undefined) return startRun(checkTimeoutMs);
    if (speaksFor(inFlight.startedAt, since)) return inFlight.done;
    queued ??= inFlight.done.then(() => {
      queued = undefined;
      return refresh(since, checkTimeoutMs);
    });
    return queued;
  }

  function tick(): void {
    timer = undefined;
    if (!running) return;
    // The periodic run measures now: only a run started this very moment stands in for it.
    inFlightTimer = refresh(clock.now(), undefined).finally(() => {
      inFlightTimer = undefined;
      // Next run one period after this one ended: slow canaries never overlap themselves.
      if (running) timer = clock.setTimeout(tick, intervalMs);
    });
  }

  return {
    status: () => ({ total: canaries.length, failing: countFailing() }),
    failing: majorityFailing,
    async fresh(check = {}) {
      await refresh((check.startedAt ?? clock.now()) - CANARY_LEAD_MS, check.timeoutMs);
      return snapshot();
    },
    start() {
      if (running || canaries.length === 0) return;
      running = true;
      stopped = false;
      controller = new AbortController();
      tick();
    },
    async stop() {
      running = false;
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      controller.abort(new Error('node stopping'));
      await inFlight?.done;
      await queued;
      await inFlightTimer;
    },
  };
}
