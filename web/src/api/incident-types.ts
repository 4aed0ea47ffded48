/**
 * The incident pages' API shapes (incidents.list/get/explain/ack, alerts.log). Declared, not
 * imported, like types.ts; test/types/web-monitor-types.check.ts proves them against the
 * operations' output schemas.
 */
import type { Round } from './monitor-types.ts';

export interface Acknowledgement {
  at: number;
  by: string;
  note: string | null;
}

export interface Incident {
  id: string;
  monitorId: string;
  status: 'open' | 'resolved' | 'retracted';
  startedAt: number;
  openedAt: number;
  endedAt: number | null;
  resolvedAt: number | null;
  durationMs: number | null;
  cause: string;
  verdict: 'down' | 'regional';
  regions: string[];
  retraction: string | null;
  acknowledgement: Acknowledgement | null;
  maintenance: { id: string; name: string } | null;
  /** The incident of a monitor it depends on that explains it (it pages nobody meanwhile). */
  causedBy: { incidentId: string; monitorId: string; monitorName: string } | null;
  /** The group of incidents sharing a cause it belongs to (one page listed them); or null. */
  groupId: string | null;
}

/** incidents.group: many monitors failing with one visible cause, paged once. */
export interface CauseGroup {
  id: string;
  title: string;
  cause: { kind: 'region' | 'host' | 'resolver' | 'group'; value: string };
  state: 'collecting' | 'paged' | 'dissolved' | 'closed';
  openedAt: number;
  pagedAt: number | null;
  closedAt: number | null;
  count: number;
  members: {
    incidentId: string;
    monitorId: string;
    monitorName: string;
    openedAt: number;
    endedAt: number | null;
    ended: 'recovered' | 'retracted' | null;
  }[];
}

/** incidents.list: an incident in the timeline, with its newest update or note. */
export interface IncidentListItem extends Incident {
  latestUpdate: IncidentUpdate | null;
}

/** incidents.get: the incident with the rounds behind it, oldest first. */
export interface IncidentDetail extends Incident {
  evidence: Round[];
}

export interface NodeVoteView {
  node: string;
  nodeId: string;
  region: string | null;
  vote: 'down' | 'up' | 'abstain' | 'no-answer';
  counted: boolean;
  setAside: string | null;
  late: boolean;
  error: string | null;
  message: string;
  latencyMs: number | null;
}

export interface RoundExplanation {
  id: string;
  purpose: string;
  decidedAt: number;
  verdict: 'down' | 'regional' | 'local' | 'up' | 'unknown';
  regions: string[];
  why: string;
  nodes: NodeVoteView[];
}

export interface IncidentExplanation {
  incidentId: string;
  monitor: { id: string; name: string; type: string; target: string };
  quorum: { rule: string };
  regionsDown: string[];
  rounds: RoundExplanation[];
  summary: string;
}

export interface AlertLogEntry {
  id: string;
  at: number;
  incidentId: string | null;
  kind: string;
  route: { target: string } | { channel: string };
  status: 'pending' | 'held' | 'retrying' | 'sent' | 'failed' | 'suppressed';
  reason: string | null;
  lastError: string | null;
  attempts: number;
  message: string;
}

export type IncidentUpdateStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';

/** incidents.updates.list/add: a public update (status pages) or an internal note. */
export interface IncidentUpdate {
  id: string;
  incidentId: string;
  status: IncidentUpdateStatus;
  message: string;
  public: boolean;
  author: string;
  createdAt: number;
}

/** incidents.evidence: what a failed browser check showed (screenshot URL, console errors). */
export interface CheckEvidenceEntry {
  resultId: string;
  nodeId: string;
  checkedAt: number;
  consoleErrors: string[];
  screenshotBytes: number;
  screenshotUrl: string | null;
}
