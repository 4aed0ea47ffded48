import type {
  AlertAttemptsTable,
  AlertDeliveriesTable,
  AlertRulesTable,
  AlertTargetsTable,
} from './schema-alerts.ts';
import type { ApiTokensTable, SessionsTable, UsersTable } from './schema-auth.ts';
import type {
  JoinTokensTable,
  NodeEventsTable,
  NodesTable,
  RoundVotesTable,
  RoundsTable,
} from './schema-cluster.ts';
import type {
  CauseGroupsTable,
  IncidentUpdatesTable,
  IncidentsTable,
  MaintenanceWindowsTable,
  StatusPagesTable,
} from './schema-incidents.ts';
import type { PushStatesTable } from './schema-push.ts';
import type {
  MonitorKeysTable,
  NodeKeysTable,
  RawResultsTable,
  ResultsTable,
  RollupDayTable,
  RollupTable,
} from './schema-results.ts';

/**
 * Table types as Kysely sees them. Shared by every SQL backend: booleans are stored as 0/1
 * integers, timestamps as epoch-ms bigints, JSON as text, so the same schema runs on SQLite
 * and PostgreSQL.
 */
export interface Database {
  monitors: MonitorsTable;
  monitor_state: MonitorStateTable;
  /** A view over raw_results (migration 0017): read it; write raw_results. */
  results: ResultsTable;
  raw_results: RawResultsTable;
  monitor_keys: MonitorKeysTable;
  node_keys: NodeKeysTable;
  incidents: IncidentsTable;
  cause_groups: CauseGroupsTable;
  alert_deliveries: AlertDeliveriesTable;
  alert_attempts: AlertAttemptsTable;
  alert_targets: AlertTargetsTable;
  alert_rules: AlertRulesTable;
  maintenance_windows: MaintenanceWindowsTable;
  status_pages: StatusPagesTable;
  incident_updates: IncidentUpdatesTable;
  managed_objects: ManagedObjectsTable;
  push_states: PushStatesTable;
  rollup_minute: RollupTable;
  rollup_hour: RollupTable;
  rollup_day: RollupDayTable;
  meta: MetaTable;
  nodes: NodesTable;
  node_events: NodeEventsTable;
  join_tokens: JoinTokensTable;
  rounds: RoundsTable;
  round_votes: RoundVotesTable;
  monitor_pauses: MonitorPausesTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  check_evidence: CheckEvidenceTable;
}

export interface MonitorsTable {
  id: string;
  name: string;
  type: string;
  target: string;
  interval_ms: number;
  timeout_ms: number;
  group_name: string | null;
  /** JSON array of strings. */
  tags: string;
  /** JSON object: the check type's validated options. */
  options: string;
  failure_threshold: number;
  recovery_threshold: number;
  degraded_is_down: number;
  paused: number;
  /** JSON array of alert routes. */
  alerts: string;
  /** JSON object: the NodeSelector (regions, labels). */
  node_selector: string;
  /** JSON object: the ConsensusPolicy. */
  consensus: string;
  /** JSON array of alert routes for regional verdicts. */
  regional_alerts: string;
  alert_cooldown_ms: number;
  /** JSON array: monitor ids and `group:<name>` entries (migration 0018). */
  depends_on: string;
  created_at: number;
  updated_at: number;
}

export interface MonitorStateTable {
  monitor_id: string;
  status: string;
  consecutive_failures: number;
  consecutive_successes: number;
  failure_streak_started_at: number | null;
  success_streak_started_at: number | null;
  open_incident_id: string | null;
  open_incident_started_at: number | null;
  last_checked_at: number | null;
  last_result_status: string | null;
  last_latency_ms: number | null;
  last_message: string | null;
  last_error_kind: string | null;
  status_since: number | null;
  last_down_alert_at: number | null;
  /** Set exactly when open_incident_id is. */
  open_incident_verdict: string | null;
  /** JSON array of strings; set exactly when open_incident_id is. */
  open_incident_regions: string | null;
  verdict: string | null;
  verdict_at: number | null;
  /** JSON array of strings. */
  failing_regions: string;
  /** JSON array of strings. */
  failing_nodes: string;
  /** JSON array of epoch ms. */
  flap_changes: string;
  flapping_since: number | null;
  last_ended_at: number | null;
  /** JSON { openedAt, confirmedBy, pages } of the open incident; null when none (or before 0007). */
  open_incident_detail: string | null;
  last_node_id: string | null;
  /** JSON of the open degraded episode; null when none (or before 0014). */
  degraded_episode: string | null;
}

/** When each monitor was paused and resumed; an ongoing pause has no `resumed_at`. */
export interface MonitorPausesTable {
  monitor_id: string;
  paused_at: number;
  resumed_at: number | null;
}

/** A failed browser check's screenshot and console errors (migration 0020). */
export interface CheckEvidenceTable {
  result_id: string;
  monitor_id: string;
  node_id: string;
  checked_at: number;
  screenshot: Uint8Array | null;
  /** JSON array of strings. */
  console_errors: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** Which SQL engine a Kysely instance talks to; the few schema differences key off this. */
export type SqlDialectName = 'sqlite' | 'postgres';

/** An object applied from a config file (`source`) under its key there. */
export interface ManagedObjectsTable {
  kind: string;
  object_id: string;
  source: string;
  config_key: string;
}

export type {
  AlertAttemptsTable,
  AlertDeliveriesTable,
  AlertRulesTable,
  AlertTargetsTable,
} from './schema-alerts.ts';
export type { ApiTokensTable, SessionsTable, UsersTable } from './schema-auth.ts';
export type {
  JoinTokensTable,
  NodeEventsTable,
  NodesTable,
  RoundVotesTable,
  RoundsTable,
} from './schema-cluster.ts';
export type {
  CauseGroupsTable,
  IncidentUpdatesTable,
  IncidentsTable,
  MaintenanceWindowsTable,
  StatusPagesTable,
} from './schema-incidents.ts';
export type {
  HourOfDay,
  HourPrefixColumns,
  MonitorKeysTable,
  NodeKeysTable,
  RawResultsTable,
  ResultsTable,
  RollupDayTable,
  RollupTable,
} from './schema-results.ts';
