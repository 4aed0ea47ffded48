import type { ErrorKind } from './check-result.ts';

export type IncidentStatus = 'open' | 'resolved';

/** A confirmed outage of one monitor, from its first failing result to its first passing one. */
export interface Incident {
  id: string;
  monitorId: string;
  status: IncidentStatus;
  /** Epoch ms of the first failing result of the streak that opened it. */
  startedAt: number;
  /** Epoch ms when the failure was confirmed (threshold reached). */
  openedAt: number;
  /** Epoch ms of the first passing result of the streak that resolved it. */
  endedAt: number | null;
  /** Epoch ms when the recovery was confirmed. */
  resolvedAt: number | null;
  /** endedAt - startedAt once resolved. */
  durationMs: number | null;
  errorKind: ErrorKind | null;
  /** The failing result's message at the time it opened. */
  cause: string;
}
