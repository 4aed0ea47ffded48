import type { AlertDelivery, AlertEvent, MonitorAlertEvent } from '../domain/alert.ts';
import type { RecordedResult } from '../domain/check-result.ts';
import type { ConsensusRound, IncidentVerdict, Vote } from '../domain/consensus.ts';
import type { Incident, IncidentCause } from '../domain/incident.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import type { CauseGroupRecord } from '../domain/cause-group.ts';
import type { MonitorRef } from '../domain/monitor.ts';

// What one ingest step hands the store (`Store.commitBatch`), part of the store contract in
// types.ts.

/**
 * Everything one ingest step changes, written in a single transaction: results, runtime
 * states, and the decisions of confirmation rounds (rounds with their votes, incidents, alerts).
 */
export interface IngestBatch {
  results: RecordedResult[];
  states: MonitorRuntimeState[];
  /** At most one open incident per monitor: opening a second is skipped, not an error. */
  incidentsOpened: Incident[];
  /**
   * A later round changed an open incident's verdict (regional ⇄ down) or regions; `at` (epoch
   * ms, the decision) dates an escalation to `down`, from which it counts as global downtime.
   */
  incidentsUpdated?: { id: string; verdict: IncidentVerdict; regions: string[]; at: number }[];
  incidentsResolved: { id: string; endedAt: number; resolvedAt: number; durationMs: number }[];
  /** Open incidents withdrawn because their evidence did not hold; only open ones change. */
  incidentsRetracted?: { id: string; retractedAt: number; reason: string }[];
  /**
   * Open incidents linked to the confirmed incident of a monitor they depend on, or (null) now
   * standing on their own; only open ones change.
   */
  incidentsLinked?: { id: string; causedBy: IncidentCause | null }[];
  alerts: AlertDelivery[];
  /**
   * Closing alerts (recovered, retracted), expanded in the same transaction into one delivery
   * per route an opening of the incident was stored for (see `store/sql/follow-ups.ts`).
   */
  followUps?: AlertFollowUp[];
  /** Decided rounds with every vote; idempotent per round id. */
  rounds?: ConsensusRound[];
  /** Answers that came after their round was decided; idempotent per (round, node). */
  lateVotes?: { roundId: string; vote: Vote }[];
  /** Incidents grouped by a shared cause: the groups, who joined, and the groups' pages. */
  grouping?: GroupingWrites;
}

/**
 * What the live views (dashboard overview, event sources) read of a committed batch. A
 * committed `IngestBatch` is one; a follower coordinator rebuilds one from what the leader
 * announced on the cluster bus (ids and small facts) and the store.
 */
export interface CommittedBatchFacts {
  results: readonly Pick<
    RecordedResult,
    'id' | 'monitorId' | 'nodeId' | 'status' | 'latencyMs' | 'checkedAt'
  >[];
  states: readonly MonitorRuntimeState[];
  incidentsOpened: readonly Pick<
    Incident,
    'id' | 'monitorId' | 'verdict' | 'regions' | 'openedAt'
  >[];
  incidentsUpdated?: readonly {
    id: string;
    verdict: IncidentVerdict;
    regions: string[];
    at: number;
  }[];
  incidentsResolved: readonly { id: string; resolvedAt: number }[];
  incidentsRetracted?: readonly { id: string; retractedAt: number }[];
  alerts: readonly AlertFacts[];
}

/** What an alert event names of a delivery: never its settings (URLs, keys). */
export type AlertFacts = Pick<
  AlertDelivery,
  'id' | 'monitorId' | 'incidentId' | 'nodeId' | 'channel' | 'status' | 'reason' | 'createdAt'
> & { event: Pick<AlertEvent, 'kind'> & { monitor?: Pick<MonitorRef, 'group'> } };

/** What grouping incidents by a shared cause writes (see `consensus/cause-grouping.ts`). */
export interface GroupingWrites {
  /** Groups created or changed, stored whole (idempotent per id). */
  groups: CauseGroupRecord[];
  /** Open incidents joining a group. */
  joined: { incidentId: string; groupId: string }[];
  /**
   * Held opening deliveries of these incidents: sent now (`pending`, due at `at`), or recorded
   * `suppressed` with reason `grouped` (their group's page stands for them).
   */
  released: { incidentId: string; status: 'pending' | 'suppressed'; at: number }[];
  /** The groups' own pages, one per route (no monitor: the group is their incident). */
  alerts: AlertDelivery[];
  /** Groups' closings, expanded after the group's pages like `followUps`. */
  followUps: AlertFollowUp[];
}

export function emptyGroupingWrites(): GroupingWrites {
  return { groups: [], joined: [], released: [], alerts: [], followUps: [] };
}

/** Adds `more` to `into` (a decision's writes to the pending batch's). */
export function mergeGroupingWrites(into: GroupingWrites, more: GroupingWrites | undefined): void {
  if (more === undefined) return;
  // A group changed twice before a write is stored as it stands last.
  for (const group of more.groups) {
    const at = into.groups.findIndex((g) => g.id === group.id);
    if (at === -1) into.groups.push(group);
    else into.groups[at] = group;
  }
  into.joined.push(...more.joined);
  into.released.push(...more.released);
  into.alerts.push(...more.alerts);
  into.followUps.push(...more.followUps);
}

/** True when there is nothing to write. */
export function groupingWritesEmpty(writes: GroupingWrites | undefined): boolean {
  if (writes === undefined) return true;
  const { groups, joined, released, alerts, followUps } = writes;
  return groups.length + joined.length + released.length + alerts.length + followUps.length === 0;
}

/**
 * A closing alert before it knows its routes: the store gives it one delivery per distinct
 * route (channel + settings) of the incident's opening deliveries, following the best of them.
 */
export interface AlertFollowUp {
  /** Null for a group's closing: the group, not a monitor, paged. */
  monitorId: string | null;
  incidentId: string;
  event: MonitorAlertEvent;
  /** Ids of the expanded deliveries start with it (`<idPrefix>.<n>`). */
  idPrefix: string;
  createdAt: number;
  /** Targets whose routes leave this closing kind out: they get no closing. */
  optedOut?: readonly string[];
}

/**
 * A batch that failed to store, put back ahead of the work that came after it (its states are
 * kept apart by the caller: the newest state of a monitor wins).
 */
export function mergeIngestBatches(first: IngestBatch, second: IngestBatch): IngestBatch {
  const both = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined): T[] => [
    ...(a ?? []),
    ...(b ?? []),
  ];
  const merged: IngestBatch = {
    results: both(first.results, second.results),
    states: [],
    incidentsOpened: both(first.incidentsOpened, second.incidentsOpened),
    incidentsUpdated: both(first.incidentsUpdated, second.incidentsUpdated),
    incidentsResolved: both(first.incidentsResolved, second.incidentsResolved),
    incidentsRetracted: both(first.incidentsRetracted, second.incidentsRetracted),
    incidentsLinked: both(first.incidentsLinked, second.incidentsLinked),
    alerts: both(first.alerts, second.alerts),
    followUps: both(first.followUps, second.followUps),
    rounds: both(first.rounds, second.rounds),
    lateVotes: both(first.lateVotes, second.lateVotes),
  };
  if (first.grouping !== undefined || second.grouping !== undefined) {
    merged.grouping = emptyGroupingWrites();
    mergeGroupingWrites(merged.grouping, first.grouping);
    mergeGroupingWrites(merged.grouping, second.grouping);
  }
  return merged;
}
