import type { AlertTargetStore } from './alert-target-store.ts';
import type { AuthStore } from './auth-store.ts';
import type { ClusterStore } from './cluster-store.ts';
import type { MaintenanceStore } from './maintenance-store.ts';
import type { StatusPageStore } from './status-page-store.ts';
import type { ManagedStore } from './managed-store.ts';
import type { PushStore } from './push-store.ts';
import type { LeaderWriteFence } from './leader-write-fence.ts';
import type { AlertAttempt, AlertDelivery, AlertDeliveryUpdate } from '../domain/alert.ts';
import type { CheckStatus, RecordedResult } from '../domain/check-result.ts';
import type { ConsensusRound } from '../domain/consensus.ts';
import type { Incident, IncidentAcknowledgement } from '../domain/incident.ts';
import type { IngestBatch } from './ingest-batch.ts';
import type { StoredCauseGroup } from '../domain/cause-group.ts';
import type { DependencyNode } from '../domain/dependencies.ts';
import type { MonitorUptime, UptimeRecord } from '../domain/uptime.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { StorageFigures } from './raw-window-budget.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';

export type {
  AlertDeliveryFilter,
  IncidentFilter,
  MonitorFilter,
  ResultFilter,
  RoundFilter,
} from './list-filters.ts';
import type {
  AlertDeliveryFilter,
  IncidentFilter,
  MonitorFilter,
  ResultFilter,
  RoundFilter,
} from './list-filters.ts';

/** One monitor write of `saveMonitors`. */
export type MonitorWrite = { op: 'insert'; monitor: Monitor } | { op: 'update'; monitor: Monitor };

export type {
  AlertFacts,
  AlertFollowUp,
  CommittedBatchFacts,
  IngestBatch,
} from './ingest-batch.ts';

/** A due delivery with the status of the opening it follows (closing alerts only). */
export interface DueDelivery extends AlertDelivery {
  /** null when it follows nothing, or its opening is no longer stored. */
  followsStatus: AlertDelivery['status'] | null;
  /** The provider reference the opening's send returned (null when none). */
  followsRef: string | null;
}

/** Raw result counts of one monitor from one node. */
export interface NodeResultCounts {
  nodeId: string;
  /** Every result, node errors included. */
  total: number;
  /** Results with status `down`. */
  failures: number;
  degraded: number;
  /** Results with status `error`: the check could not run because of this node. */
  errors: number;
}

/**
 * Results and failures over a window (from rollups plus raw results not yet rolled up): the
 * checks' own record, every node's local failures included. Not uptime: see `UptimeSummary`.
 */
export interface ResultCounts {
  total: number;
  /** Results with status `down`. */
  failures: number;
}

/**
 * A monitor's uptime over one window, from confirmed downtime (docs/api.md, "Uptime"):
 * 1 − downMs ÷ observedMs.
 */
export type UptimeSummary = MonitorUptime;

/** One rollup bucket (per minute, hour or UTC day). */
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

/** One node's newest result of one monitor (the overview's per-region mini-grid). */
export interface NodeLatestResult {
  monitorId: string;
  nodeId: string;
  status: CheckStatus;
  checkedAt: number;
}

/** How long each kind of data is kept (ms before `now`). */
export interface RetentionPolicy {
  /** Raw results (each check's full result). */
  rawMs: number;
  /** Minute buckets. */
  minuteMs: number;
  /** Hour buckets (hourly charts); uptime does not read them. */
  hourMs: number;
  /**
   * Day buckets (UTC days). They carry the day's running totals per hour, so uptime stays
   * exact at hour granularity over this whole retention, after hour buckets are pruned.
   */
  dayMs: number;
}

/**
 * Raw results 7 days, minute buckets 14 days, hour buckets 90 days (hourly charts over three
 * times the status page's longest window), day buckets 400 days (a year plus a month).
 */
export const DEFAULT_RETENTION: RetentionPolicy = {
  rawMs: 7 * 86_400_000,
  minuteMs: 14 * 86_400_000,
  hourMs: 90 * 86_400_000,
  dayMs: 400 * 86_400_000,
};

/** A failed check's evidence as an incident shows it (the image is read on its own). */
export interface EvidenceEntry {
  resultId: string;
  nodeId: string;
  checkedAt: number;
  consoleErrors: string[];
  /** Bytes of the JPEG screenshot; 0 when there is none. */
  screenshotBytes: number;
}

/** Rows one `Store.prune` call deleted. */
export interface PruneCounts {
  results: number;
  minuteBuckets: number;
  hourBuckets: number;
  dayBuckets: number;
  deliveries: number;
  /** Decided rounds that belong to no incident (incident evidence is kept with the incident). */
  rounds: number;
  /** Browser screenshots and console errors of failures that belong to no incident. */
  evidence: number;
}

export interface StoreStats {
  sizeBytes: number;
  monitors: number;
  pausedMonitors: number;
  results: number;
  openIncidents: number;
}

export type { StorageFigures } from './raw-window-budget.ts';

export type { LeaderWriteFence } from './leader-write-fence.ts';

export type {
  NodeHealthChange,
  NodeStateChange,
  NodeStatusUpdate,
  StoredLeaderLease,
} from './cluster-store.ts';

// A domain type (the alert policy decides it); re-exported as part of the store's contract.
export type { AlertDeliveryUpdate } from '../domain/alert.ts';

/**
 * The storage contract, implemented over SQLite (in portable SQL) and held to one contract
 * test suite (`store/contract/`). Its parts live beside it: people and credentials
 * (`AuthStore`), alert targets and rules (`AlertTargetStore`), maintenance windows
 * (`MaintenanceStore`), status pages and incident updates (`StatusPageStore`), nodes and join
 * tokens (`ClusterStore`), objects applied from config files (`ManagedStore`), push monitors'
 * received pings (`PushStore`).
 */
export interface Store
  extends
    AuthStore,
    AlertTargetStore,
    MaintenanceStore,
    StatusPageStore,
    ClusterStore,
    ManagedStore,
    PushStore {
  close(): Promise<void>;
  /**
   * From now on every leader write (commitBatch, applyNodeStateChanges, applyNodeHealthChange,
   * updateAlertDelivery) asserts the fence's epoch first in its own transaction (FENCED when it
   * is null or, on PostgreSQL, not the lease row's). Unset: nothing is checked.
   */
  fenceLeaderWrites(fence: LeaderWriteFence): void;

  /** CONFLICT if the id is taken. */
  insertMonitor(monitor: Monitor): Promise<void>;
  /** Replaces every field of an existing monitor; NOT_FOUND if it does not exist. */
  updateMonitor(monitor: Monitor): Promise<void>;
  /**
   * Deletes a monitor with its results, rollups, state and incidents. Its alert deliveries
   * stay (the alert log outlives the monitor; their events carry its name); pending ones are
   * marked `suppressed` with reason `monitor-deleted`, in the same transaction.
   */
  deleteMonitor(id: string): Promise<boolean>;
  /**
   * Inserts and updates many monitors in ONE transaction with one config version bump: all
   * are written or none (CONFLICT for a taken id, NOT_FOUND for an update of a missing one).
   */
  saveMonitors(writes: readonly MonitorWrite[]): Promise<void>;
  getMonitor(id: string): Promise<Monitor | undefined>;
  /** Ordered by name, then id; `tag` matches a whole tag (filtered in SQL). */
  listMonitors(filter?: MonitorFilter): Promise<Monitor[]>;
  /**
   * Every monitor that depends on something, as the dependency graph needs it: the only
   * monitors a circle of dependencies can pass through.
   */
  listDependencyNodes(): Promise<DependencyNode[]>;
  /** Which of these monitor ids exist. */
  existingMonitorIds(ids: readonly string[]): Promise<Set<string>>;

  /**
   * Atomically stores a batch of results with the state changes they caused. Idempotent per
   * result id. Rows of monitors deleted meanwhile are skipped, not an error; a resolution
   * only changes an incident that is still open.
   */
  commitBatch(batch: IngestBatch): Promise<void>;
  listStates(): Promise<MonitorRuntimeState[]>;
  /**
   * The stored runtime states of these monitors (ids without one are left out), by monitor id:
   * what a follower reads when the leader announces a committed batch by its monitors' ids.
   */
  statesOf(monitorIds: readonly string[]): Promise<MonitorRuntimeState[]>;

  /** Newest start first. */
  listIncidents(filter?: IncidentFilter): Promise<Incident[]>;
  /** Groups of incidents sharing a cause still collecting or paged, with their members. */
  openCauseGroups(): Promise<StoredCauseGroup[]>;
  /** One group of incidents sharing a cause, with every member; undefined when absent. */
  getCauseGroup(id: string): Promise<StoredCauseGroup | undefined>;
  getIncident(id: string): Promise<Incident | undefined>;
  /**
   * Records an acknowledgement of an open incident and returns the incident. The first one's
   * `at` and `by` stay; a later one replaces the note when it gives one (so a replay changes
   * nothing). NOT_FOUND when absent, CONFLICT when it is no longer open.
   */
  acknowledgeIncident(id: string, ack: IncidentAcknowledgement): Promise<Incident>;
  /** Decided rounds with their votes (late ones included, flagged), newest decision first. */
  listRounds(filter?: RoundFilter): Promise<ConsensusRound[]>;

  /** Newest `checkedAt` first; at most `limit` (1,000 when not given). */
  listResults(filter?: ResultFilter): Promise<RecordedResult[]>;
  /** Count of results with each status per monitor since `since` (raw table). */
  countResults(monitorId: string, since: number): Promise<Record<CheckStatus, number>>;
  /** Per-node result counts of one monitor since `since` (raw table), by node id. */
  countResultsByNode(monitorId: string, since: number): Promise<NodeResultCounts[]>;

  /**
   * Pending deliveries whose next attempt is due, oldest first; a closing alert only once the
   * opening it follows is no longer pending (so it never overtakes it).
   */
  dueAlertDeliveries(now: number, limit: number): Promise<DueDelivery[]>;
  /**
   * Records the delivery's state and, after a send, that attempt, in one transaction (a
   * replayed attempt number replaces its record); without an attempt it records a decision
   * not to send (a closing alert whose opening never reached the route). NOT_FOUND when the
   * delivery no longer exists.
   */
  updateAlertDelivery(
    id: string,
    update: AlertDeliveryUpdate,
    attempt?: AlertAttempt,
  ): Promise<void>;
  /** Newest first (by `createdAt`, then id). */
  listAlertDeliveries(filter?: AlertDeliveryFilter): Promise<AlertDelivery[]>;
  /** Send attempts by delivery id, oldest first; ids without attempts get an empty list. */
  listAlertAttempts(deliveryIds: readonly string[]): Promise<Map<string, AlertAttempt[]>>;

  /**
   * Folds results ingested since the last call into minute, hour and day buckets
   * (idempotent); returns how many buckets of each it wrote.
   */
  rollup(): Promise<{ minuteBuckets: number; hourBuckets: number; dayBuckets: number }>;
  /**
   * Result and failure counts per window (ms lengths) ending at `now`, for each monitor id
   * (every id gets an entry). Hour granularity: a window starts at the first hour boundary at
   * or after `now - window` and ends with the hour holding `now`. Counts are exact (every
   * result in those hours, once) for as long as day buckets are kept (`RetentionPolicy.dayMs`).
   */
  resultCounts(
    monitorIds: readonly string[],
    windowsMs: readonly number[],
    now: number,
  ): Promise<Map<string, ResultCounts[]>>;
  /**
   * Uptime per window [now − window, now) for each monitor id (every id gets an entry; an
   * unknown one observed nothing): confirmed `down` incidents over the time observed since the
   * monitor was created, paused time left out; regional incidents lower only the regions they
   * name; retracted incidents count for nothing. Reads incidents and pauses, never results.
   */
  uptime(
    monitorIds: readonly string[],
    windowsMs: readonly number[],
    now: number,
  ): Promise<Map<string, UptimeSummary[]>>;
  /**
   * What `uptime` is computed from (`domain/uptime.ts`, `recordUptime`), per monitor of
   * `monitorIds` (every monitor when null; a missing id has no entry): incidents and pauses
   * that end after `since` or have not ended, however late they start. Kept by the dashboard
   * so sorting by uptime reads only monitors that changed.
   */
  uptimeRecords(
    monitorIds: readonly string[] | null,
    since: number,
  ): Promise<Map<string, UptimeRecord>>;
  /**
   * Buckets starting at or after `since`, oldest first. Day buckets are UTC days; their
   * counts and max are exact, their p50/p95 the count-weighted nearest rank of their hour
   * buckets' p50/p95 (an approximation between the smallest and largest hourly value).
   */
  listRollups(
    granularity: 'minute' | 'hour' | 'day',
    monitorId: string,
    since: number,
  ): Promise<RollupBucket[]>;
  /** Buckets of several monitors from `since` (inclusive), by monitor id, oldest first. */
  listRollupsOf(
    granularity: 'minute' | 'hour' | 'day',
    monitorIds: readonly string[],
    since: number,
  ): Promise<RollupBucket[]>;
  /**
   * Each node's newest result per monitor among those checked at or after `since` (raw table;
   * a node with no result since then is left out). Reads only the look-back, so keep it short.
   */
  latestNodeResults(monitorIds: readonly string[], since: number): Promise<NodeLatestResult[]>;
  /**
   * Deletes data older than the retention policy allows: raw results (never ones not yet
   * rolled up), minute, hour and day buckets, and rounds older than `rawMs` that belong to no
   * incident. Alert deliveries are the alert log: those of an incident that still exists stay
   * as long as it does (incidents are never pruned); other finished (sent/failed/suppressed)
   * ones, e.g. node alerts or those of a deleted monitor, go after `dayMs`, their attempts
   * with them. Pending deliveries are never pruned.
   */
  prune(now: number, retention: RetentionPolicy): Promise<PruneCounts>;

  /**
   * A failed browser check's screenshots and console errors that belong to an incident (its
   * monitor's, from shortly before it started until it ended), newest first; NOT_FOUND for an
   * unknown incident. Kept as long as the incident; at most 20 per monitor.
   */
  incidentEvidence(incidentId: string, now: number): Promise<EvidenceEntry[]>;
  /** One JPEG of an incident's evidence; undefined when the incident has no such image. */
  evidenceScreenshot(
    incidentId: string,
    resultId: string,
    now: number,
  ): Promise<Uint8Array | undefined>;

  stats(): Promise<StoreStats>;
  /**
   * The database's bytes on disk, without counting rows: SQLite's file (a stat), PostgreSQL's
   * `pg_database_size` (one cheap query). For the size gauge, read at every scrape.
   */
  databaseBytes(): Promise<number>;
  /**
   * What `--storage-budget` decides from (see `raw-window-budget.ts`): the database's bytes on
   * disk and in use, the bytes and count of raw results, and how many were checked in the hour
   * before `now`. Reads every page of the results table (SQLite `dbstat`): for the prune pass
   * on the housekeeping thread, not for requests.
   */
  storageFigures(now: number): Promise<StorageFigures>;

  /** Monotonic counter bumped by every monitor write, in the same transaction. */
  configVersion(): Promise<number>;
}
