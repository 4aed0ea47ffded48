import type { ErrorKind } from './check-result.ts';
import type { IncidentVerdict } from './consensus.ts';
import type { MaintenanceRef } from './maintenance.ts';

/**
 * `retracted`: the evidence it was opened on did not hold (its deciding votes came from nodes
 * found impaired or abstaining right after, and a new round did not confirm it). A retracted
 * incident is no downtime.
 */
export type IncidentStatus = 'open' | 'resolved' | 'retracted';

/**
 * A person saying "I am on it". The first acknowledgement's time and author stay (alerting
 * stops re-notifying and escalating from then); a later one only replaces the note.
 */
export interface IncidentAcknowledgement {
  /** Epoch ms of the first acknowledgement. */
  at: number;
  /** The user who acknowledged first (their name). */
  by: string;
  note: string | null;
}

/**
 * The confirmed incident of a monitor this one depends on, which this incident is linked to:
 * while linked it pages nobody. The parent's name is kept so the history still reads after a
 * rename or delete.
 */
export interface IncidentCause {
  incidentId: string;
  monitorId: string;
  monitorName: string;
}

/**
 * A confirmed outage of one monitor, from the first failing result of the node that reported it
 * to the first passing result of the node whose recovery the quorum confirmed.
 */
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
  /** `down` (quorum confirmed) or `regional` (failing from whole regions only); latest verdict. */
  verdict: IncidentVerdict;
  /** Regions a regional incident names (sorted); empty for `down`. */
  regions: string[];
  /** When it was retracted and why; null unless `status` is `retracted`. */
  retractedAt: number | null;
  retraction: string | null;
  /** Null until someone acknowledges it (only an open incident can be acknowledged). */
  acknowledgement: IncidentAcknowledgement | null;
  /** The maintenance window it opened in (its alerts were recorded suppressed); null when none. */
  maintenance: MaintenanceRef | null;
  /**
   * The parent incident it is linked to while a monitor it depends on is confirmed down; null
   * when it stands on its own (it never had a parent down, or the parent recovered first).
   */
  causedBy: IncidentCause | null;
  /**
   * The group of incidents sharing a cause it belongs to (one page listed them all); null when
   * it paged on its own.
   */
  groupId: string | null;
}
