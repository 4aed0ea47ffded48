import type { AlertDelivery } from '../../domain/alert.ts';
import type { RecordedResult } from '../../domain/check-result.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { MonitorRuntimeState } from '../../domain/monitor-state.ts';
import { initialRuntimeState } from '../../domain/monitor-state.ts';
import { emptyBatch, observe } from './ingest-observe.ts';
import type { Clock, TimerHandle } from '../../lib/clock.ts';
import type { Logger } from '../../observability/logger.ts';
import type { IngestBatch, Store } from '../../store/types.ts';
import type { GroupingWrites } from '../../store/ingest-batch.ts';
import {
  emptyGroupingWrites,
  groupingWritesEmpty,
  mergeGroupingWrites,
  mergeIngestBatches,
} from '../../store/ingest-batch.ts';
import { AppError, isFenced, isStorageFull } from '../../lib/errors.ts';
import { createRepeatGate } from '../../lib/repeat-gate.ts';

/**
 * Results held in memory while the store fails (a full disk). Beyond it agents' batches wait
 * unacknowledged, so they stay in the agents' durable outboxes, and the coordinator's own
 * results are shed: memory stays bounded however long the outage lasts.
 */
export const DEFAULT_MAX_PENDING_RESULTS = 50_000;

/** A full backlog repeats on every batch: one log line per minute says so. */
const BACKLOG_FULL_REPORT_MS = 60_000;

export interface IngestDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Current monitor definitions (results of deleted monitors, or checked after a pause, are dropped). */
  lookupMonitor: (id: string) => Monitor | undefined;
  /** Sees every result accepted for storage (the coordinator's record of each node). */
  onAccepted?: (result: RecordedResult) => void;
  /** Called after a batch is durably stored; `alerts` tells whether it carried deliveries. */
  onCommitted?: (summary: { results: number; alerts: number }) => void;
  /** Called with each batch once durably stored (the live event stream); must not throw. */
  onBatchCommitted?: (batch: IngestBatch) => void;
  flushIntervalMs: number;
  /** A batch this large is written at once instead of waiting for the interval. */
  maxBatch?: number;
  /** Bound on results held in memory; DEFAULT_MAX_PENDING_RESULTS unless set. */
  maxPendingResults?: number;
}

/** What a decided confirmation round changes, stored with the next (immediate) write. */
export interface Decision {
  /** Replaces the consensus-owned fields of each monitor's state. */
  states: { monitorId: string; patch: Partial<MonitorRuntimeState> }[];
  incidentsOpened?: IngestBatch['incidentsOpened'];
  incidentsUpdated?: NonNullable<IngestBatch['incidentsUpdated']>;
  incidentsResolved?: IngestBatch['incidentsResolved'];
  incidentsRetracted?: NonNullable<IngestBatch['incidentsRetracted']>;
  incidentsLinked?: NonNullable<IngestBatch['incidentsLinked']>;
  alerts?: AlertDelivery[];
  followUps?: NonNullable<IngestBatch['followUps']>;
  rounds?: NonNullable<IngestBatch['rounds']>;
  lateVotes?: NonNullable<IngestBatch['lateVotes']>;
  grouping?: GroupingWrites;
}

/** Takes results and round decisions, keeps each monitor's state, writes both in batches. */
export interface Ingestor {
  /** Loads persisted runtime states; call once before the first submit. */
  load(): Promise<void>;
  /** Stores a result (written with the next batch) and updates the monitor's observation. */
  submit(result: RecordedResult): void;
  /** Stores results and resolves once they are durably written (an agent's batch, then ack). */
  submitAndWait(results: readonly RecordedResult[]): Promise<void>;
  /** Stores a round's decision; it is written at once, in one transaction with pending results. */
  decide(decision: Decision): void;
  /** Writes everything pending now. */
  flush(): Promise<void>;
  /** Current runtime state of a monitor (pending if it has no result yet). */
  state(monitorId: string): MonitorRuntimeState;
  /** Drops the in-memory state of a deleted monitor. */
  forget(monitorId: string): void;
  /** Flushes and stops the timer. */
  stop(): Promise<void>;
  stats(): IngestStats;
}

export interface IngestStats {
  submitted: number;
  committed: number;
  /** Results of deleted or paused monitors, and the coordinator's own shed at a full backlog. */
  dropped: number;
  /** The coordinator's own results dropped because the backlog was full. */
  shed: number;
  /** Results held in memory for the next write. */
  pending: number;
  /** The bound on `pending`. */
  limit: number;
  /** Agents' results refused admission (full backlog), waiting unacknowledged. */
  waiting: number;
}

/** Someone waiting for a batch to be stored (an agent's, acknowledged once it is). */
interface Waiter {
  stored: () => void;
  refused: (error: Error) => void;
}

/** An agent's batch refused admission while the backlog is full; admitted once it drains. */
interface WaitingBatch {
  results: readonly RecordedResult[];
  admitted: () => void;
  refused: (error: Error) => void;
}

/** Builds the ingest pipeline: the one writer of results, runtime states and round decisions. */
export function createIngestor(deps: IngestDeps): Ingestor {
  const maxBatch = deps.maxBatch ?? 1_000;
  const states = new Map<string, MonitorRuntimeState>();
  let pending = emptyBatch();
  let waiters: Waiter[] = [];
  /** A leader write was refused once already: later refusals are not news. */
  let fencedReported = false;
  let dirtyStates = new Map<string, MonitorRuntimeState>();
  let timer: TimerHandle | undefined;
  let flushing: Promise<void> | undefined;
  let stopped = false;
  const maxPending = deps.maxPendingResults ?? DEFAULT_MAX_PENDING_RESULTS;
  const counters = { submitted: 0, committed: 0, dropped: 0, shed: 0 };
  const waiting: WaitingBatch[] = [];
  const backlogGate = createRepeatGate(BACKLOG_FULL_REPORT_MS);

  /** Whether `incoming` more results fit (an oversized batch still fits an empty backlog). */
  function hasRoom(incoming: number): boolean {
    return pending.results.length === 0 || pending.results.length + incoming <= maxPending;
  }

  function reportBacklogFull(): void {
    const decision = backlogGate.occur(deps.clock.now());
    if (!decision.log) return;
    deps.logger.error(
      {
        pending: pending.results.length,
        limit: maxPending,
        waitingResults: waitingResults(),
        shed: counters.shed,
        suppressedRepeats: decision.suppressed,
      },
      "result backlog full while the store fails: agents' batches wait unacknowledged in their outboxes (nothing lost); the coordinator's own results are dropped until the store recovers",
    );
  }

  function waitingResults(): number {
    return waiting.reduce((sum, batch) => sum + batch.results.length, 0);
  }

  /** Moves waiting agents' batches into the backlog, oldest first, while they fit. */
  function admitWaiting(): void {
    while (waiting.length > 0) {
      const next = waiting[0];
      if (next === undefined || !hasRoom(next.results.length)) return;
      waiting.shift();
      next.admitted();
    }
  }

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

  function accept(result: RecordedResult): boolean {
    const monitor = deps.lookupMonitor(result.monitorId);
    // A result checked before a pause took effect is real data still on its way (from an
    // agent's outbox, or a check in flight): keep it. Later ones, and deleted monitors', go.
    if (!monitor || (monitor.paused && result.checkedAt >= monitor.updatedAt)) {
      counters.dropped++;
      return false;
    }
    counters.submitted++;
    deps.onAccepted?.(result);
    const state = observe(
      states.get(monitor.id) ?? initialRuntimeState(monitor.id),
      result,
      monitor,
    );
    states.set(monitor.id, state);
    dirtyStates.set(monitor.id, state);
    pending.results.push(result);
    return true;
  }

  function hasDecisions(batch: IngestBatch): boolean {
    return (
      batch.incidentsOpened.length > 0 ||
      batch.incidentsResolved.length > 0 ||
      batch.alerts.length > 0 ||
      (batch.followUps?.length ?? 0) > 0 ||
      (batch.incidentsRetracted?.length ?? 0) > 0 ||
      (batch.incidentsUpdated?.length ?? 0) > 0 ||
      (batch.incidentsLinked?.length ?? 0) > 0 ||
      (batch.rounds?.length ?? 0) > 0 ||
      (batch.lateVotes?.length ?? 0) > 0 ||
      !groupingWritesEmpty(batch.grouping)
    );
  }

  async function writePending(): Promise<void> {
    if (pending.results.length === 0 && dirtyStates.size === 0 && !hasDecisions(pending)) {
      for (const waiter of waiters.splice(0)) waiter.stored();
      return;
    }
    const batch: IngestBatch = { ...pending, states: [...dirtyStates.values()] };
    const released = waiters;
    pending = emptyBatch();
    waiters = [];
    dirtyStates = new Map();
    try {
      await deps.store.commitBatch(batch);
      counters.committed += batch.results.length;
      for (const waiter of released) waiter.stored();
      admitWaiting();
      deps.onCommitted?.({
        results: batch.results.length,
        alerts: batch.alerts.length + (batch.followUps?.length ?? 0),
      });
      deps.onBatchCommitted?.(batch);
    } catch (error) {
      if (isFenced(error)) {
        dropFenced(batch, released, error);
        return;
      }
      // Keep the batch (ahead of newer work) so a transient store error loses nothing. A full
      // disk is reported by the store once per minute, not here on every retry.
      if (!isStorageFull(error))
        deps.logger.error(
          { err: error, results: batch.results.length },
          'storing results failed; will retry',
        );
      pending = mergeIngestBatches(batch, pending);
      waiters = [...released, ...waiters];
      for (const s of batch.states)
        if (!dirtyStates.has(s.monitorId)) dirtyStates.set(s.monitorId, s);
      if (!stopped) scheduleFlush(Math.max(deps.flushIntervalMs, 1_000));
      // Stopping with a store that still fails (a full disk): no retry can follow, so say what
      // is lost. Agents' results are not among it: they are acknowledged only once stored.
      else
        deps.logger.error(
          { err: error, results: batch.results.length, states: batch.states.length },
          'results and decisions not stored at shutdown',
        );
    }
  }

  /**
   * This coordinator no longer leads: the batch is the new leader's business, so it is dropped,
   * not kept for a retry that would be refused again. Agents' results go back unacknowledged
   * and stay in their outboxes, which send them to the new leader.
   */
  function dropFenced(batch: IngestBatch, released: readonly Waiter[], error: AppError): void {
    const fields = { err: error, results: batch.results.length, waitingAgents: released.length };
    if (fencedReported) deps.logger.debug(fields, 'leader write refused again');
    else
      deps.logger.warn(
        fields,
        'not the leader any more: results and decisions left to the new leader',
      );
    fencedReported = true;
    for (const waiter of released) waiter.refused(error);
    for (const waitingBatch of waiting.splice(0)) waitingBatch.refused(error);
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
    },
    submit(result) {
      // The coordinator's own checks have no durable outbox to wait in: at a full backlog the
      // newest result goes (counted and logged); the next check of the monitor replaces it.
      if (!hasRoom(1)) {
        counters.dropped++;
        counters.shed++;
        reportBacklogFull();
        return;
      }
      if (!accept(result)) return;
      scheduleFlush(pending.results.length >= maxBatch ? 0 : deps.flushIntervalMs);
    },
    submitAndWait(results) {
      const admit = (): Promise<void> => {
        for (const result of results) accept(result);
        const done = new Promise<void>((stored, refused) => waiters.push({ stored, refused }));
        scheduleFlush(pending.results.length >= maxBatch ? 0 : deps.flushIntervalMs);
        return done;
      };
      // Earlier waiting batches go first: admitting out of order would let an agent's later
      // acknowledgement cover (and delete from its outbox) an earlier batch not yet stored.
      if (waiting.length === 0 && hasRoom(results.length)) return admit();
      if (stopped)
        return Promise.reject(new AppError('UNAVAILABLE', 'the coordinator is stopping'));
      reportBacklogFull();
      return new Promise<void>((resolve, reject) => {
        waiting.push({
          results,
          admitted: () => void admit().then(resolve),
          refused: reject,
        });
      });
    },
    decide(decision) {
      for (const { monitorId, patch } of decision.states) {
        const current = states.get(monitorId) ?? initialRuntimeState(monitorId);
        const state = { ...current, ...patch };
        // Rounds say "up"; whether up means degraded is the latest result's business.
        if (state.status === 'up' && current.lastResultStatus === 'degraded')
          state.status = 'degraded';
        states.set(monitorId, state);
        dirtyStates.set(monitorId, state);
      }
      pending.incidentsOpened.push(...(decision.incidentsOpened ?? []));
      pending.incidentsUpdated?.push(...(decision.incidentsUpdated ?? []));
      pending.incidentsResolved.push(...(decision.incidentsResolved ?? []));
      pending.incidentsRetracted?.push(...(decision.incidentsRetracted ?? []));
      pending.incidentsLinked?.push(...(decision.incidentsLinked ?? []));
      pending.alerts.push(...(decision.alerts ?? []));
      pending.followUps?.push(...(decision.followUps ?? []));
      pending.rounds?.push(...(decision.rounds ?? []));
      pending.lateVotes?.push(...(decision.lateVotes ?? []));
      if (decision.grouping !== undefined) {
        pending.grouping ??= emptyGroupingWrites();
        mergeGroupingWrites(pending.grouping, decision.grouping);
      }
      scheduleFlush(0);
    },
    flush,
    state: (monitorId) => states.get(monitorId) ?? initialRuntimeState(monitorId),
    forget(monitorId) {
      states.delete(monitorId);
      dirtyStates.delete(monitorId);
    },
    async stop() {
      stopped = true;
      // Unacknowledged, these stay in the agents' outboxes and are sent again on reconnect.
      for (const batch of waiting.splice(0))
        batch.refused(new AppError('UNAVAILABLE', 'the coordinator is stopping'));
      if (timer !== undefined) deps.clock.clearTimeout(timer);
      timer = undefined;
      await flush();
    },
    stats: () => ({
      ...counters,
      pending: pending.results.length,
      limit: maxPending,
      waiting: waitingResults(),
    }),
  };
}
