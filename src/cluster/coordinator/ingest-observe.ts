// Pure: a monitor's runtime state as one result moves it, and the empty batch ingest fills.
import type { RecordedResult } from '../../domain/check-result.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { MonitorRuntimeState } from '../../domain/monitor-state.ts';
import type { IngestBatch } from '../../store/types.ts';

export function emptyBatch(): IngestBatch {
  return {
    results: [],
    states: [],
    incidentsOpened: [],
    incidentsUpdated: [],
    incidentsResolved: [],
    incidentsRetracted: [],
    incidentsLinked: [],
    alerts: [],
    followUps: [],
    rounds: [],
    lateVotes: [],
  };
}

/**
 * Results only move a monitor between pending, up and degraded: failing results are the nodes'
 * business, and down, regional, unknown and flapping are set only by confirmation rounds. A
 * node error (`error`) says nothing about the target: it moves no status, streak or latest
 * observation (the result itself is still stored, under its node).
 */
export function observe(
  state: MonitorRuntimeState,
  result: RecordedResult,
  monitor: Monitor,
): MonitorRuntimeState {
  if (result.status === 'error') return state;
  const failing =
    result.status === 'down' || (monitor.degradedIsDown && result.status === 'degraded');
  const next: MonitorRuntimeState = {
    ...state,
    lastCheckedAt: result.checkedAt,
    lastResultStatus: result.status,
    lastLatencyMs: result.latencyMs,
    lastMessage: result.message,
    lastErrorKind: result.errorKind ?? null,
    lastNodeId: result.nodeId,
    consecutiveFailures: failing ? state.consecutiveFailures + 1 : 0,
    consecutiveSuccesses: failing ? 0 : state.consecutiveSuccesses + 1,
    failureStreakStartedAt: failing ? (state.failureStreakStartedAt ?? result.checkedAt) : null,
    successStreakStartedAt: failing ? null : (state.successStreakStartedAt ?? result.checkedAt),
  };
  const observable =
    state.status === 'pending' || state.status === 'up' || state.status === 'degraded';
  if (observable && !failing) {
    const status = result.status === 'degraded' ? 'degraded' : 'up';
    if (status !== state.status) {
      next.status = status;
      next.statusSince = result.checkedAt;
    }
  }
  return next;
}
