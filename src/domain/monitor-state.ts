import type { CheckStatus, ErrorKind } from './check-result.ts';

/** What a user sees for a monitor. `paused` comes from the monitor, the rest from results. */
export type MonitorStatus = 'pending' | 'up' | 'degraded' | 'down' | 'paused';

/** Runtime state of one monitor, derived from its results; persisted with every result batch. */
export interface MonitorRuntimeState {
  monitorId: string;
  status: Exclude<MonitorStatus, 'paused'>;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Epoch ms of the first result of the current failure streak (incident start when confirmed). */
  failureStreakStartedAt: number | null;
  /** Epoch ms of the first result of the current success streak (incident end when confirmed). */
  successStreakStartedAt: number | null;
  openIncident: { id: string; startedAt: number } | null;
  lastCheckedAt: number | null;
  lastResultStatus: CheckStatus | null;
  lastLatencyMs: number | null;
  lastMessage: string | null;
  lastErrorKind: ErrorKind | null;
  /** Epoch ms of the last status change. */
  statusSince: number | null;
  /** Epoch ms of the last "down" alert that was sent (not suppressed), for the cooldown. */
  lastDownAlertAt: number | null;
}

/** The state a new monitor starts in. */
export function initialRuntimeState(monitorId: string): MonitorRuntimeState {
  return {
    monitorId,
    status: 'pending',
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    failureStreakStartedAt: null,
    successStreakStartedAt: null,
    openIncident: null,
    lastCheckedAt: null,
    lastResultStatus: null,
    lastLatencyMs: null,
    lastMessage: null,
    lastErrorKind: null,
    statusSince: null,
    lastDownAlertAt: null,
  };
}
