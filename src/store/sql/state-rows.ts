import type { Insertable, Selectable } from 'kysely';
import { CHECK_STATUSES, ERROR_KINDS } from '../../domain/check-result.ts';
import type { IncidentCause } from '../../domain/incident.ts';
import type { MonitorRuntimeState, OpenIncidentRef } from '../../domain/monitor-state.ts';
import { INCIDENT_VERDICTS, VERDICTS } from './consensus-rows.ts';
import { degradedEpisodeColumn, parseDegradedEpisode } from './degraded-episode-column.ts';
import {
  corrupt,
  isRecord,
  oneOf,
  oneOfOrNull,
  parseJsonObject,
  parseNumberArray,
  parseStringArray,
} from './json-column.ts';
import { col } from './rows.ts';
import type { MonitorStateTable } from './schema.ts';

// A monitor's runtime state as `monitor_state` stores it: observation and consensus columns,
// and the open incident's consensus detail as JSON.

const RUNTIME_STATUSES: readonly MonitorRuntimeState['status'][] = [
  'pending',
  'up',
  'degraded',
  'down',
  'regional',
  'unknown',
  'flapping',
];
/** Runtime state → row. */
export function stateToRow(s: MonitorRuntimeState): Insertable<MonitorStateTable> {
  return {
    monitor_id: s.monitorId,
    status: s.status,
    consecutive_failures: s.consecutiveFailures,
    consecutive_successes: s.consecutiveSuccesses,
    failure_streak_started_at: s.failureStreakStartedAt,
    success_streak_started_at: s.successStreakStartedAt,
    open_incident_id: s.openIncident?.id ?? null,
    open_incident_started_at: s.openIncident?.startedAt ?? null,
    last_checked_at: s.lastCheckedAt,
    last_result_status: s.lastResultStatus,
    last_latency_ms: s.lastLatencyMs,
    last_message: s.lastMessage,
    last_error_kind: s.lastErrorKind,
    status_since: s.statusSince,
    last_down_alert_at: s.lastDownAlertAt,
    open_incident_verdict: s.openIncident?.verdict ?? null,
    open_incident_regions: s.openIncident === null ? null : JSON.stringify(s.openIncident.regions),
    verdict: s.verdict,
    verdict_at: s.verdictAt,
    failing_regions: JSON.stringify(s.failingRegions),
    failing_nodes: JSON.stringify(s.failingNodes),
    flap_changes: JSON.stringify(s.flapChanges),
    flapping_since: s.flappingSince,
    last_ended_at: s.lastEndedAt,
    open_incident_detail: s.openIncident === null ? null : openIncidentDetail(s.openIncident),
    last_node_id: s.lastNodeId,
    degraded_episode: degradedEpisodeColumn(s.degradedEpisode),
  };
}

/** The open incident's consensus detail as stored (JSON). */
function openIncidentDetail(open: OpenIncidentRef): string {
  const { openedAt, confirmedBy, pages } = open;
  const causedBy = open.causedBy ?? null;
  const heldSince = open.heldSince ?? null;
  // Written only when set, so rows of monitors without dependencies stay as they were.
  return JSON.stringify({
    openedAt,
    confirmedBy,
    pages,
    ...(causedBy === null ? {} : { causedBy }),
    ...(heldSince === null ? {} : { heldSince }),
  });
}

/** Row → runtime state. */
export function rowToState(row: Selectable<MonitorStateTable>): MonitorRuntimeState {
  const where = (column: string) => col('monitor_state', column);
  return {
    monitorId: row.monitor_id,
    status: oneOf(row.status, RUNTIME_STATUSES, col('monitor_state', 'status')),
    consecutiveFailures: row.consecutive_failures,
    consecutiveSuccesses: row.consecutive_successes,
    failureStreakStartedAt: row.failure_streak_started_at,
    successStreakStartedAt: row.success_streak_started_at,
    openIncident: rowToOpenIncident(row),
    lastCheckedAt: row.last_checked_at,
    lastResultStatus: oneOfOrNull(
      row.last_result_status,
      CHECK_STATUSES,
      col('monitor_state', 'last_result_status'),
    ),
    lastLatencyMs: row.last_latency_ms,
    lastMessage: row.last_message,
    lastErrorKind: oneOfOrNull(
      row.last_error_kind,
      ERROR_KINDS,
      col('monitor_state', 'last_error_kind'),
    ),
    lastNodeId: row.last_node_id,
    statusSince: row.status_since,
    lastDownAlertAt: row.last_down_alert_at,
    verdict: oneOfOrNull(row.verdict, VERDICTS, where('verdict')),
    verdictAt: row.verdict_at,
    failingRegions: parseStringArray(row.failing_regions, where('failing_regions')),
    failingNodes: parseStringArray(row.failing_nodes, where('failing_nodes')),
    flapChanges: parseNumberArray(row.flap_changes, where('flap_changes')),
    flappingSince: row.flapping_since,
    lastEndedAt: row.last_ended_at,
    degradedEpisode: parseDegradedEpisode(row.degraded_episode),
  };
}

function rowToOpenIncident(row: Selectable<MonitorStateTable>): OpenIncidentRef | null {
  if (row.open_incident_id === null || row.open_incident_started_at === null) return null;
  const verdict = col('monitor_state', 'open_incident_verdict');
  const regions = col('monitor_state', 'open_incident_regions');
  if (row.open_incident_verdict === null) throw corrupt(verdict, 'missing for an open incident');
  if (row.open_incident_regions === null) throw corrupt(regions, 'missing for an open incident');
  return {
    id: row.open_incident_id,
    startedAt: row.open_incident_started_at,
    verdict: oneOf(row.open_incident_verdict, INCIDENT_VERDICTS, verdict),
    regions: parseStringArray(row.open_incident_regions, regions),
    ...parseOpenIncidentDetail(row.open_incident_detail, row.open_incident_started_at),
  };
}

/**
 * Incidents opened before migration 0007 have no detail: dated from their start, confirmed by
 * nobody on record (so never reconfirmed) and with no page on record (closings still follow the
 * stored opening deliveries).
 */
function parseOpenIncidentDetail(
  text: string | null,
  startedAt: number,
): Pick<OpenIncidentRef, 'openedAt' | 'confirmedBy' | 'pages' | 'causedBy' | 'heldSince'> {
  if (text === null) return { openedAt: startedAt, confirmedBy: [], pages: {} };
  const where = col('monitor_state', 'open_incident_detail');
  const detail = parseJsonObject(text, where);
  const { openedAt, confirmedBy, pages } = detail;
  const validPages = isRecord(pages) && Object.values(pages).every((at) => typeof at === 'number');
  if (typeof openedAt !== 'number' || !Array.isArray(confirmedBy) || !validPages) {
    throw corrupt(where, 'expected { openedAt, confirmedBy, pages }');
  }
  if (!confirmedBy.every((id): id is string => typeof id === 'string')) {
    throw corrupt(where, 'confirmedBy must list node ids');
  }
  const causedBy = parseCause(detail['causedBy'], where);
  return {
    openedAt,
    confirmedBy,
    pages: pages as Record<string, number>,
    // Present only when set, as written (see `openIncidentDetail`).
    ...(causedBy === null ? {} : { causedBy }),
    ...(typeof detail['heldSince'] === 'number' ? { heldSince: detail['heldSince'] } : {}),
  };
}

function parseCause(value: unknown, where: ReturnType<typeof col>): IncidentCause | null {
  if (value === undefined || value === null) return null;
  if (
    !isRecord(value) ||
    typeof value['incidentId'] !== 'string' ||
    typeof value['monitorId'] !== 'string' ||
    typeof value['monitorName'] !== 'string'
  )
    throw corrupt(where, 'causedBy must be { incidentId, monitorId, monitorName }');
  return {
    incidentId: value['incidentId'],
    monitorId: value['monitorId'],
    monitorName: value['monitorName'],
  };
}
