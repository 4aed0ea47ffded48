import type { AlertDelivery } from '../domain/alert.ts';
import type { CheckStatus, RecordedResult } from '../domain/check-result.ts';
import type { Incident } from '../domain/incident.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';

export interface MonitorFilter {
  group?: string | undefined;
  tag?: string | undefined;
}

export interface IncidentFilter {
  monitorId?: string;
  /** Only open incidents. */
  active?: boolean;
  limit?: number;
}

export interface ResultFilter {
  monitorId?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  limit?: number;
}

/** Everything one ingest step changes, written in a single transaction. */
export interface IngestBatch {
  results: RecordedResult[];
  states: MonitorRuntimeState[];
  incidentsOpened: Incident[];
  incidentsResolved: { id: string; endedAt: number; resolvedAt: number; durationMs: number }[];
  alerts: AlertDelivery[];
}

/** Aggregate of results over a window (from rollups plus raw results not yet rolled up). */
export interface UptimeSummary {
  total: number;
  failures: number;
  /** (total - failures) / total, or null when there were no results. */
  uptime: number | null;
}

/** One rollup bucket (per minute or per hour). */
export interface RollupBucket {
  monitorId: string;
  /** Epoch ms of the bucket start. */
  bucketStart: number;
  count: number;
  failures: number;
  degraded: number;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyMax: number | null;
}

export interface RetentionPolicy {
  rawMs: number;
  minuteMs: number;
  hourMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  rawMs: 7 * 86_400_000,
  minuteMs: 14 * 86_400_000,
  hourMs: 400 * 86_400_000,
};

export interface StoreStats {
  sizeBytes: number;
  monitors: number;
  results: number;
  openIncidents: number;
}

export interface AlertDeliveryUpdate {
  status: AlertDelivery['status'];
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  sentAt: number | null;
}

/**
 * The storage contract. SQLite implements it now; PostgreSQL later runs the same contract
 * test suite (`store/contract.ts`).
 */
export interface Store {
  close(): Promise<void>;

  insertMonitor(monitor: Monitor): Promise<void>;
  /** Replaces every field of an existing monitor; NOT_FOUND if it does not exist. */
  updateMonitor(monitor: Monitor): Promise<void>;
  /** Deletes a monitor with its results, rollups, state, incidents and deliveries. */
  deleteMonitor(id: string): Promise<boolean>;
  getMonitor(id: string): Promise<Monitor | undefined>;
  listMonitors(filter?: MonitorFilter): Promise<Monitor[]>;

  /** Atomically stores a batch of results with the state changes they caused. Idempotent per result id. */
  commitBatch(batch: IngestBatch): Promise<void>;
  listStates(): Promise<MonitorRuntimeState[]>;

  listIncidents(filter?: IncidentFilter): Promise<Incident[]>;
  getIncident(id: string): Promise<Incident | undefined>;

  listResults(filter?: ResultFilter): Promise<RecordedResult[]>;
  /** Count of results with each status per monitor since `since` (raw table). */
  countResults(monitorId: string, since: number): Promise<Record<CheckStatus, number>>;

  /** Pending deliveries whose next attempt is due, oldest first. */
  dueAlertDeliveries(now: number, limit: number): Promise<AlertDelivery[]>;
  updateAlertDelivery(id: string, update: AlertDeliveryUpdate): Promise<void>;
  listAlertDeliveries(filter?: { monitorId?: string; limit?: number }): Promise<AlertDelivery[]>;

  /** Folds results ingested since the last call into minute and hour buckets (idempotent). */
  rollup(): Promise<{ minuteBuckets: number; hourBuckets: number }>;
  /** Uptime per window (ms lengths) ending at `now`, for each monitor id. */
  uptime(
    monitorIds: readonly string[],
    windowsMs: readonly number[],
    now: number,
  ): Promise<Map<string, UptimeSummary[]>>;
  listRollups(
    granularity: 'minute' | 'hour',
    monitorId: string,
    since: number,
  ): Promise<RollupBucket[]>;
  /** Deletes data older than the retention policy allows. */
  prune(
    now: number,
    retention: RetentionPolicy,
  ): Promise<{ results: number; minuteBuckets: number; hourBuckets: number; deliveries: number }>;

  stats(): Promise<StoreStats>;
}
