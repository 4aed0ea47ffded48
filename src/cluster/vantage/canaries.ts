import type { runCheck as defaultRunCheck } from '../../agent/check-runner.ts';
import { getCheck } from '../../checks/registry.ts';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import type { Logger } from '../../observability/logger.ts';
import type { CanarySpec } from './canary-spec.ts';
import { canaryName } from './canary-spec.ts';

/** The check runner the vantage point uses (the engine's, unless a test passes another). */
export type RunCheck = typeof defaultRunCheck;

/** How many canaries a node runs and how many of them fail now. */
export interface CanaryStatus {
  total: number;
  failing: number;
}

export interface CanaryRunnerOptions {
  clock: Clock;
  logger: Logger;
  nodeId: string;
  canaries: readonly CanarySpec[];
  intervalMs: number;
  runCheck: RunCheck;
}

/** Runs a node's canaries on a timer and keeps the latest outcome of each. */
export interface CanaryRunner {
  status(): CanaryStatus;
  /** More than half of the canaries fail (false with none, or before their first run). */
  failing(): boolean;
  /** Runs every canary now, then every interval. */
  start(): void;
  /** Stops the timer and aborts checks in flight. */
  stop(): Promise<void>;
}

/** The canaries of one node; see `CanaryRunner`. */
export function createCanaryRunner(options: CanaryRunnerOptions): CanaryRunner {
  const { clock, nodeId, canaries, intervalMs } = options;
  const log = options.logger.child({ part: 'canaries' });
  // Latest outcome per canary (index as in `canaries`); undefined until its first run.
  const failed: (boolean | undefined)[] = canaries.map(() => undefined);
  let running = false;
  let timer: TimerHandle | undefined;
  let controller = new AbortController();
  let inFlight: Promise<void> | undefined;

  const countFailing = () => failed.filter((f) => f === true).length;
  const majorityFailing = () => canaries.length > 0 && countFailing() * 2 > canaries.length;

  async function runOne(spec: CanarySpec, index: number, signal: AbortSignal): Promise<void> {
    // A canary must answer within one period, or it would still run when the next one starts.
    const timeoutMs = Math.min(getCheck(spec.type).defaultTimeoutMs, intervalMs);
    const result = await options.runCheck({ ...spec, timeoutMs }, { signal, logger: log });
    if (signal.aborted) return;
    const nowFailing = result.status === 'down';
    const before = failed[index];
    failed[index] = nowFailing;
    const fields = { nodeId, canary: canaryName(spec), message: result.message };
    if (nowFailing && before !== true) log.warn(fields, 'canary failing');
    else if (!nowFailing && before === true) log.info(fields, 'canary recovered');
  }

  async function runAll(): Promise<void> {
    const signal = controller.signal;
    const wasFailing = majorityFailing();
    await Promise.all(canaries.map((spec, index) => runOne(spec, index, signal)));
    if (signal.aborted) return;
    const nowFailing = majorityFailing();
    const fields = { nodeId, failing: countFailing(), total: canaries.length };
    if (nowFailing && !wasFailing)
      log.warn(fields, 'most canaries fail: this node abstains instead of voting down');
    else if (!nowFailing && wasFailing)
      log.info(fields, 'canaries healthy again: this node votes normally');
  }

  function tick(): void {
    timer = undefined;
    if (!running) return;
    inFlight = runAll()
      .catch((error: unknown) => log.error({ err: error, nodeId }, 'running the canaries failed'))
      .finally(() => {
        inFlight = undefined;
        // Next run one period after this one ended: slow canaries never overlap themselves.
        if (running) timer = clock.setTimeout(tick, intervalMs);
      });
  }

  return {
    status: () => ({ total: canaries.length, failing: countFailing() }),
    failing: majorityFailing,
    start() {
      if (running || canaries.length === 0) return;
      running = true;
      controller = new AbortController();
      tick();
    },
    async stop() {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      controller.abort(new Error('node stopping'));
      await inFlight;
    },
  };
}
