import type { Insertable, Selectable } from 'kysely';
import { CHECK_TYPES } from '../../domain/check-type.ts';
import type { RecordedResult } from '../../domain/check-result.ts';
import { CHECK_STATUSES, ERROR_KINDS } from '../../domain/check-result.ts';
import type { Incident, IncidentCause, IncidentStatus } from '../../domain/incident.ts';
import type { AlertRoute, Monitor, NodeSelector } from '../../domain/monitor.ts';
import { alertRouteSchema } from '../../domain/monitor-schema.ts';
import type { RollupBucket } from '../types.ts';
import {
  centiMsOrNull,
  ERROR_KIND_CODES,
  encodeResultId,
  STATUS_CODES,
  toCentiMs,
} from './result-codes.ts';
import { INCIDENT_VERDICTS, parseConsensusPolicy } from './consensus-rows.ts';
import type { ColumnRef } from './json-column.ts';
import {
  corrupt,
  isRecord,
  oneOf,
  oneOfOrNull,
  parseJsonArray,
  parseJsonObject,
  parseStringArray,
} from './json-column.ts';
import type {
  IncidentsTable,
  MonitorsTable,
  RawResultsTable,
  ResultsTable,
  RollupTable,
} from './schema.ts';

const INCIDENT_STATUSES: readonly IncidentStatus[] = ['open', 'resolved', 'retracted'];
/** Names a column for corrupt-data errors. */
export const col = (table: string, column: string): ColumnRef => ({ table, column });

/** Monitor → row; JSON fields serialised, booleans as 0/1. */
export function monitorToRow(m: Monitor): Insertable<MonitorsTable> {
  return {
    id: m.id,
    name: m.name,
    type: m.type,
    target: m.target,
    interval_ms: m.intervalMs,
    timeout_ms: m.timeoutMs,
    group_name: m.group,
    tags: JSON.stringify(m.tags),
    options: JSON.stringify(m.options),
    failure_threshold: m.failureThreshold,
    recovery_threshold: m.recoveryThreshold,
    degraded_is_down: m.degradedIsDown ? 1 : 0,
    paused: m.paused ? 1 : 0,
    alerts: JSON.stringify(m.alerts),
    node_selector: JSON.stringify(m.nodes),
    consensus: JSON.stringify(m.consensus),
    regional_alerts: JSON.stringify(m.regionalAlerts),
    alert_cooldown_ms: m.alertCooldownMs,
    depends_on: JSON.stringify(m.dependsOn),
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  };
}

/** Row → Monitor; throws AppError('INTERNAL') naming the column on corrupt JSON. */
export function rowToMonitor(row: Selectable<MonitorsTable>): Monitor {
  return {
    id: row.id,
    name: row.name,
    type: oneOf(row.type, CHECK_TYPES, col('monitors', 'type')),
    target: row.target,
    intervalMs: row.interval_ms,
    timeoutMs: row.timeout_ms,
    group: row.group_name,
    tags: parseStringArray(row.tags, col('monitors', 'tags')),
    options: parseJsonObject(row.options, col('monitors', 'options')),
    failureThreshold: row.failure_threshold,
    recoveryThreshold: row.recovery_threshold,
    degradedIsDown: row.degraded_is_down !== 0,
    paused: row.paused !== 0,
    alerts: parseAlertRoutes(row.alerts),
    regionalAlerts: parseAlertRoutes(row.regional_alerts, col('monitors', 'regional_alerts')),
    consensus: parseConsensusPolicy(row.consensus),
    nodes: parseNodeSelector(row.node_selector),
    alertCooldownMs: row.alert_cooldown_ms,
    dependsOn: parseStringArray(row.depends_on, col('monitors', 'depends_on')),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseNodeSelector(text: string): NodeSelector {
  const where = col('monitors', 'node_selector');
  const value = parseJsonObject(text, where);
  const regions = value['regions'] ?? [];
  const labels = value['labels'] ?? {};
  if (!Array.isArray(regions) || !regions.every((r) => typeof r === 'string'))
    throw corrupt(where, 'regions must be an array of strings');
  if (!isRecord(labels) || !Object.values(labels).every((v) => typeof v === 'string'))
    throw corrupt(where, 'labels must map strings to strings');
  return { regions, labels: labels as Record<string, string> };
}

/** Parses a stored JSON list of alert routes; `where` names the column for errors. */
export function parseAlertRoutes(
  text: string,
  where: ColumnRef = col('monitors', 'alerts'),
): AlertRoute[] {
  return parseJsonArray(text, where).map((item) => {
    const parsed = alertRouteSchema.safeParse(item);
    if (!parsed.success)
      throw corrupt(where, 'expected routes of { target } or { channel, settings }');
    return parsed.data;
  });
}

/**
 * A result as `raw_results` stores it (`result-codes.ts`), still naming its monitor and node by
 * their text ids: the writer turns those into the integer keys.
 */
export type ResultWriteRow = Omit<
  Selectable<RawResultsTable>,
  'seq' | 'monitor_key' | 'node_key'
> & {
  monitor_id: string;
  node_id: string;
};

/** Result → the row to write; absent phases, empty message and details become NULL. */
export function resultToRow(r: RecordedResult): ResultWriteRow {
  const details = JSON.stringify(r.details);
  return {
    id: encodeResultId(r.id),
    monitor_id: r.monitorId,
    node_id: r.nodeId,
    checked_at: r.checkedAt,
    status: STATUS_CODES[r.status],
    latency_cms: toCentiMs(r.latencyMs),
    dns_cms: centiMsOrNull(r.timings.dnsMs),
    connect_cms: centiMsOrNull(r.timings.connectMs),
    tls_cms: centiMsOrNull(r.timings.tlsMs),
    first_byte_cms: centiMsOrNull(r.timings.firstByteMs),
    error_kind: r.errorKind === undefined ? null : ERROR_KIND_CODES[r.errorKind],
    message: r.message === '' ? null : r.message,
    details: details === '{}' ? null : details,
  };
}

/** Row → result; NULL phases and error kind are left out rather than set to undefined. */
export function rowToResult(row: Omit<Selectable<ResultsTable>, 'seq'>): RecordedResult {
  const timings: RecordedResult['timings'] = {};
  if (row.dns_ms !== null) timings.dnsMs = row.dns_ms;
  if (row.connect_ms !== null) timings.connectMs = row.connect_ms;
  if (row.tls_ms !== null) timings.tlsMs = row.tls_ms;
  if (row.first_byte_ms !== null) timings.firstByteMs = row.first_byte_ms;
  const result: RecordedResult = {
    id: row.id,
    monitorId: row.monitor_id,
    nodeId: row.node_id,
    checkedAt: row.checked_at,
    status: oneOf(row.status, CHECK_STATUSES, col('results', 'status')),
    latencyMs: row.latency_ms,
    timings,
    message: row.message,
    details: parseJsonObject(row.details, col('results', 'details')) as RecordedResult['details'],
  };
  if (row.error_kind !== null) {
    result.errorKind = oneOf(row.error_kind, ERROR_KINDS, col('results', 'error_kind'));
  }
  return result;
}

/** Incident → row. */
export function incidentToRow(i: Incident): Insertable<IncidentsTable> {
  return {
    id: i.id,
    monitor_id: i.monitorId,
    status: i.status,
    started_at: i.startedAt,
    opened_at: i.openedAt,
    ended_at: i.endedAt,
    resolved_at: i.resolvedAt,
    duration_ms: i.durationMs,
    error_kind: i.errorKind,
    cause: i.cause,
    verdict: i.verdict,
    regions: JSON.stringify(i.regions),
    retracted_at: i.retractedAt,
    retraction: i.retraction,
    down_since: i.verdict === 'down' ? i.startedAt : null,
    named_regions: JSON.stringify(i.regions),
    acknowledged_at: i.acknowledgement?.at ?? null,
    acknowledged_by: i.acknowledgement?.by ?? null,
    ack_note: i.acknowledgement?.note ?? null,
    maintenance_id: i.maintenance?.id ?? null,
    maintenance_name: i.maintenance?.name ?? null,
    caused_by_incident_id: i.causedBy?.incidentId ?? null,
    caused_by_monitor_id: i.causedBy?.monitorId ?? null,
    caused_by_monitor_name: i.causedBy?.monitorName ?? null,
    cause_group_id: i.groupId,
  };
}

/** Row → incident. */
export function rowToIncident(row: Selectable<IncidentsTable>): Incident {
  return {
    id: row.id,
    monitorId: row.monitor_id,
    status: oneOf(row.status, INCIDENT_STATUSES, col('incidents', 'status')),
    startedAt: row.started_at,
    openedAt: row.opened_at,
    endedAt: row.ended_at,
    resolvedAt: row.resolved_at,
    durationMs: row.duration_ms,
    errorKind: oneOfOrNull(row.error_kind, ERROR_KINDS, col('incidents', 'error_kind')),
    cause: row.cause,
    verdict: oneOf(row.verdict, INCIDENT_VERDICTS, col('incidents', 'verdict')),
    regions: parseStringArray(row.regions, col('incidents', 'regions')),
    retractedAt: row.retracted_at,
    retraction: row.retraction,
    acknowledgement:
      row.acknowledged_at === null
        ? null
        : { at: row.acknowledged_at, by: row.acknowledged_by ?? '', note: row.ack_note },
    maintenance:
      row.maintenance_id === null
        ? null
        : { id: row.maintenance_id, name: row.maintenance_name ?? row.maintenance_id },
    causedBy: incidentCause(row),
    groupId: row.cause_group_id,
  };
}

function incidentCause(row: Selectable<IncidentsTable>): IncidentCause | null {
  const { caused_by_incident_id: incidentId, caused_by_monitor_id: monitorId } = row;
  if (incidentId === null || monitorId === null) return null;
  return { incidentId, monitorId, monitorName: row.caused_by_monitor_name ?? monitorId };
}

/** Row → rollup bucket. */
export function rowToBucket(row: Selectable<RollupTable>): RollupBucket {
  return {
    monitorId: row.monitor_id,
    bucketStart: row.bucket_start,
    count: row.count,
    failures: row.failures,
    degraded: row.degraded,
    latencyP50: row.latency_p50,
    latencyP95: row.latency_p95,
    latencyMax: row.latency_max,
  };
}
