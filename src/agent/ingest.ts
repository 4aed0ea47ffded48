import { applyResult } from '../consensus/monitor-state-machine.ts';
import type { StateEffect, StatePolicy } from '../consensus/monitor-state-machine.ts';
import type { AlertDelivery, AlertEvent } from '../domain/alert.ts';
import type { RecordedResult } from '../domain/check-result.ts';
import type { Monitor } from '../domain/monitor.ts';
import { monitorRef } from '../domain/monitor.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import { initialRuntimeState } from '../domain/monitor-state.ts';
import type { Clock, TimerHandle } from '../lib/clock.ts';
import type { Logger } from '../observability/logger.ts';
import type { IngestBatch, Store } from '../store/types.ts';

export interface IngestDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Current monitor definitions (results of deleted or paused monitors are dropped). */
  lookupMonitor: (id: string) => Monitor | undefined;
  newId: (prefix: 'inc' | 'dlv') => string;
  /** Called after a batch is durably stored; `alerts` tells whether it carried deliveries. */
  onCommitted?: (summary: { results: number; alerts: number }) => void;
  flushIntervalMs: number;
  /** A batch this large is written at once instead of waiting for the interval. */
  maxBatch?: number;
}

/** Takes results, advances each monitor's state, and writes results + effects in batches. */
export interface Ingestor {
  /** Loads persisted runtime states; call once before the first submit. */
  load(): Promise<void>;
  submit(result: RecordedResult): void;
  /** Writes everything pending now. */
  flush(): Promise<void>;
  /** Current runtime state of a monitor (pending if it has no result yet). */
  state(monitorId: string): MonitorRuntimeState;
  /** Drops the in-memory state of a deleted monitor. */
  forget(monitorId: string): void;
  /** Flushes and stops the timer. */
  stop(): Promise<void>;
  stats(): { submitted: number; committed: number; dropped: number; pending: number };
}

function emptyBatch(): IngestBatch {
  return { results: [], states: [], incidentsOpened: [], incidentsResolved: [], alerts: [] };
}

/** Builds the ingest pipeline: the one place results turn into state, incidents and alerts. */
export function createIngestor(deps: IngestDeps): Ingestor {
  const maxBatch = deps.maxBatch ?? 1_000;
  const states = new Map<string, MonitorRuntimeState>();
  const openCauses = new Map<string, string>();
  let pending = emptyBatch();
  let dirtyStates = new Map<string, MonitorRuntimeState>();
  let timer: TimerHandle | undefined;
  let flushing: Promise<void> | undefined;
  const counters = { submitted: 0, committed: 0, dropped: 0 };

  function scheduleFlush(delayMs: number): void {
    if (timer !== undefined) {
      if (delayMs > 0) return;
      deps.clock.clearTimeout(timer);
    }
    timer = deps.clock.setTimeout(() => {
      timer = undefined;
      void flush();
    }, delayMs);
  }

  function toDelivery(
    monitor: Monitor,
    effect: Extract<StateEffect, { type: 'alert' }>,
    result: RecordedResult,
    now: number,
  ): AlertDelivery[] {
    const event: AlertEvent = {
      kind: effect.kind,
      idempotencyKey: effect.idempotencyKey,
      monitor: monitorRef(monitor),
      incident: {
        id: effect.incidentId,
        startedAt: effect.startedAt,
        endedAt: effect.endedAt,
        durationMs: effect.durationMs,
        cause: openCauses.get(effect.incidentId) ?? result.message,
      },
      message: result.message,
      occurredAt: now,
    };
    return monitor.alerts.map((route, index) => ({
      id: deps.newId('dlv'),
      deliveryKey: `${effect.idempotencyKey}:${index}`,
      monitorId: monitor.id,
      incidentId: effect.incidentId,
      nodeId: null,
      channel: route.channel,
      settings: route.settings,
      event,
      status: effect.suppressed ? 'suppressed' : 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastError: effect.suppressed ? effect.reason : null,
      createdAt: now,
      sentAt: null,
    }));
  }

  function applyEffects(
    monitor: Monitor,
    effects: StateEffect[],
    result: RecordedResult,
    now: number,
  ): void {
    for (const effect of effects) {
      const log = { monitorId: monitor.id };
      switch (effect.type) {
        case 'status-changed':
          deps.logger.info({ ...log, from: effect.from, to: effect.to }, 'monitor status changed');
          break;
        case 'incident-opened':
          pending.incidentsOpened.push(effect.incident);
          openCauses.set(effect.incident.id, effect.incident.cause);
          deps.logger.warn(
            { ...log, incidentId: effect.incident.id, cause: effect.incident.cause },
            'incident opened',
          );
          break;
        case 'incident-resolved':
          pending.incidentsResolved.push({
            id: effect.incidentId,
            endedAt: effect.endedAt,
            resolvedAt: effect.resolvedAt,
            durationMs: effect.durationMs,
          });
          deps.logger.info(
            { ...log, incidentId: effect.incidentId, durationMs: effect.durationMs },
            'incident resolved',
          );
          break;
        case 'alert':
          pending.alerts.push(...toDelivery(monitor, effect, result, now));
          if (effect.kind === 'recovered') openCauses.delete(effect.incidentId);
          break;
      }
    }
  }

  function submit(result: RecordedResult): void {
    const monitor = deps.lookupMonitor(result.monitorId);
    if (!monitor || monitor.paused) {
      counters.dropped++;
      return;
    }
    counters.submitted++;
    const now = deps.clock.now();
    const step = applyResult(
      states.get(monitor.id) ?? initialRuntimeState(monitor.id),
      {
        status: result.status,
        checkedAt: result.checkedAt,
        latencyMs: result.latencyMs,
        message: result.message,
        errorKind: result.errorKind ?? null,
      },
      policyOf(monitor),
      now,
      deps.newId('inc'),
    );
    states.set(monitor.id, step.state);
    dirtyStates.set(monitor.id, step.state);
    pending.results.push(result);
    applyEffects(monitor, step.effects, result, now);
    const urgent = step.effects.some((e) => e.type === 'alert');
    scheduleFlush(urgent || pending.results.length >= maxBatch ? 0 : deps.flushIntervalMs);
  }

  async function writePending(): Promise<void> {
    if (pending.results.length === 0) return;
    const batch: IngestBatch = { ...pending, states: [...dirtyStates.values()] };
    pending = emptyBatch();
    dirtyStates = new Map();
    try {
      await deps.store.commitBatch(batch);
      counters.committed += batch.results.length;
      deps.onCommitted?.({ results: batch.results.length, alerts: batch.alerts.length });
    } catch (error) {
      // Keep the batch (ahead of newer work) so a transient store error loses nothing.
      deps.logger.error(
        { err: error, results: batch.results.length },
        'storing results failed; will retry',
      );
      pending = mergeBatches(batch, pending);
      for (const s of batch.states)
        if (!dirtyStates.has(s.monitorId)) dirtyStates.set(s.monitorId, s);
      scheduleFlush(Math.max(deps.flushIntervalMs, 1_000));
    }
  }

  async function flush(): Promise<void> {
    while (flushing) await flushing;
    flushing = writePending().finally(() => {
      flushing = undefined;
    });
    await flushing;
  }

  return {
    async load() {
      for (const state of await deps.store.listStates()) states.set(state.monitorId, state);
      for (const incident of await deps.store.listIncidents({ active: true })) {
        openCauses.set(incident.id, incident.cause);
      }
    },
    submit,
    flush,
    state: (monitorId) => states.get(monitorId) ?? initialRuntimeState(monitorId),
    forget(monitorId) {
      const open = states.get(monitorId)?.openIncident;
      if (open) openCauses.delete(open.id);
      states.delete(monitorId);
      dirtyStates.delete(monitorId);
    },
    async stop() {
      if (timer !== undefined) deps.clock.clearTimeout(timer);
      timer = undefined;
      await flush();
    },
    stats: () => ({ ...counters, pending: pending.results.length }),
  };
}

function mergeBatches(first: IngestBatch, second: IngestBatch): IngestBatch {
  return {
    results: [...first.results, ...second.results],
    states: [],
    incidentsOpened: [...first.incidentsOpened, ...second.incidentsOpened],
    incidentsResolved: [...first.incidentsResolved, ...second.incidentsResolved],
    alerts: [...first.alerts, ...second.alerts],
  };
}

/** The state-machine policy of a monitor. */
export function policyOf(monitor: Monitor): StatePolicy {
  return {
    monitorId: monitor.id,
    failureThreshold: monitor.failureThreshold,
    recoveryThreshold: monitor.recoveryThreshold,
    degradedIsDown: monitor.degradedIsDown,
    alertCooldownMs: monitor.alertCooldownMs,
  };
}
