import type { AlertDelivery, MonitorAlertEvent } from '../domain/alert.ts';
import type { RecordedResult } from '../domain/check-result.ts';
import type { ConsensusRound, IncidentVerdict, Vote } from '../domain/consensus.ts';
import type { Incident, IncidentCause } from '../domain/incident.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';

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
}

/**
 * A closing alert before it knows its routes: the store gives it one delivery per distinct
 * route (channel + settings) of the incident's opening deliveries, following the best of them.
 */
export interface AlertFollowUp {
  monitorId: string;
  incidentId: string;
  event: MonitorAlertEvent;
  /** Ids of the expanded deliveries start with it (`<idPrefix>.<n>`). */
  idPrefix: string;
  createdAt: number;
  /** Targets whose routes leave this closing kind out: they get no closing. */
  optedOut?: readonly string[];
}
