import type { CheckRunner } from '../agent/check-runner.ts';
import { evaluatePush } from '../checks/push/evaluate.ts';
import { pushResult } from '../checks/push/index.ts';
import type { PushOptions } from '../checks/push/options.ts';
import { scheduleOf } from '../checks/push/options.ts';
import type { PushPing, PushState } from '../checks/push/state.ts';
import { applyPing, EMPTY_PUSH_STATE } from '../checks/push/state.ts';
import { pushTokenKey } from '../checks/push/token.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { MonitorChange } from '../domain/monitor-change.ts';
import type { Clock, TimerHandle } from '../lib/clock.ts';
import type { Logger } from '../observability/logger.ts';
import type { Store } from '../store/types.ts';

/** Longest wait armed for one deadline; a later one is re-armed by the evaluation it triggers. */
const MAX_TIMER_MS = 86_400_000;

export interface PushTrackerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The coordinator's monitors, by id. */
  monitors(): ReadonlyMap<string, Monitor>;
  /** Evaluates a monitor now (the engine's run-now); false when it does not run here. */
  runNow(monitorId: string): boolean;
  /** A ping was recorded here: the other coordinators are told (the leader judges it). */
  onPinged?: (monitorId: string) => void;
}

/** Which monitor a ping was for. */
export interface PingTarget {
  monitorId: string;
  name: string;
}

/**
 * The coordinator's side of push monitors: pings in (kept in memory and stored, so a restart
 * judges from them), and a check runner that judges a push monitor from its pings when the
 * engine runs it. Its result then goes through the coordinator's vantage point and consensus
 * like any result, with the coordinator as the monitor's only voter (`cluster/assignment.ts`).
 */
export interface PushTracker {
  /** Records a ping; null when no push monitor has this token (the caller answers 404). */
  ping(token: string, ping: PushPing): Promise<PingTarget | null>;
  /** `base` for every other type; push monitors judged from their pings. */
  runner(base: CheckRunner): CheckRunner;
  monitorChanged(change: MonitorChange): void;
  /** Another coordinator recorded a ping: its stored state replaces this one's, then a check. */
  pingedElsewhere(monitorId: string): Promise<void>;
  stop(): void;
}

export async function createPushTracker(deps: PushTrackerDeps): Promise<PushTracker> {
  const { clock, store } = deps;
  const log = deps.logger.child({ part: 'push' });
  // Pings sent while this coordinator was stopped are lost: every missed-ping deadline waits at
  // least one grace period from here.
  const startedAt = clock.now();
  const states = await store.listPushStates();
  const timers = new Map<string, TimerHandle>();
  let byToken: Map<string, string> | null = null;
  // Writes go one after another, so the stored state is the last ping's.
  let writes: Promise<void> = Promise.resolve();

  function tokenIndex(): Map<string, string> {
    if (byToken !== null) return byToken;
    byToken = new Map();
    for (const monitor of deps.monitors().values()) {
      const token = monitor.type === 'push' ? monitor.options['token'] : undefined;
      if (typeof token === 'string') byToken.set(pushTokenKey(token), monitor.id);
    }
    return byToken;
  }

  function arm(monitorId: string, deadline: number | null): void {
    const previous = timers.get(monitorId);
    if (previous !== undefined) clock.clearTimeout(previous);
    timers.delete(monitorId);
    if (deadline === null) return;
    const delay = Math.min(Math.max(0, deadline - clock.now()) + 1, MAX_TIMER_MS);
    const timer = clock.setTimeout(() => {
      timers.delete(monitorId);
      deps.runNow(monitorId);
    }, delay);
    timer.unref?.();
    timers.set(monitorId, timer);
  }

  function evaluate(monitor: Monitor) {
    const evaluation = evaluatePush(
      states.get(monitor.id) ?? EMPTY_PUSH_STATE,
      // Stored options passed the type's schema when the monitor was written.
      scheduleOf(monitor.options as PushOptions),
      { now: clock.now(), createdAt: monitor.createdAt, coordinatorStartedAt: startedAt },
    );
    arm(monitor.id, evaluation.nextDeadline);
    return pushResult({ ...evaluation, details: { ...evaluation.details, verdictBy: 'pings' } });
  }

  return {
    async ping(token, ping) {
      const monitorId = tokenIndex().get(pushTokenKey(token));
      const monitor = monitorId === undefined ? undefined : deps.monitors().get(monitorId);
      if (monitor === undefined) return null;
      const now = clock.now();
      const next: PushState = applyPing(states.get(monitor.id) ?? EMPTY_PUSH_STATE, ping, now);
      states.set(monitor.id, next);
      const write = writes.then(() => store.savePushState(monitor.id, next, now));
      writes = write.catch(() => undefined);
      await write;
      log.debug({ monitorId: monitor.id, kind: ping.kind }, 'push ping received');
      deps.runNow(monitor.id);
      deps.onPinged?.(monitor.id);
      return { monitorId: monitor.id, name: monitor.name };
    },
    async pingedElsewhere(monitorId) {
      // Push monitors are few: re-reading them all is one small query.
      const stored = (await store.listPushStates()).get(monitorId);
      if (stored === undefined) return;
      states.set(monitorId, stored);
      deps.runNow(monitorId);
    },
    runner(base) {
      return (spec, options) => {
        const monitor =
          spec.type === 'push' && options?.monitorId !== undefined
            ? deps.monitors().get(options.monitorId)
            : undefined;
        if (monitor === undefined) return base(spec, options);
        return Promise.resolve(evaluate(monitor));
      };
    },
    monitorChanged(change) {
      byToken = null;
      if (change.type === 'removed') {
        states.delete(change.id);
        arm(change.id, null);
      } else if (change.monitor.type !== 'push') arm(change.monitor.id, null);
    },
    stop() {
      for (const timer of timers.values()) clock.clearTimeout(timer);
      timers.clear();
    },
  };
}
