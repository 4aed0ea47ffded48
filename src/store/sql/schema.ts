import type { Generated } from 'kysely';
import type { ApiTokensTable, SessionsTable, UsersTable } from './schema-auth.ts';

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
  alert_deliveries: AlertDeliveriesTable;
  alert_attempts: AlertAttemptsTable;
  alert_targets: AlertTargetsTable;
  alert_rules: AlertRulesTable;
  maintenance_windows: MaintenanceWindowsTable;
  status_pages: StatusPagesTable;
  incident_updates: IncidentUpdatesTable;
  managed_objects: ManagedObjectsTable;
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

/**
 * Raw results as stored (migration 0017): integer keys and codes (`result-codes.ts`),
 * durations in hundredths of a millisecond, NULL for an empty message or details.
 */
export interface RawResultsTable {
  /** Insertion order; never reused, so the rollup watermark can rely on it. */
  seq: Generated<number>;
  /** A UUID's 16 bytes; any other id as text. */
  id: Uint8Array | string;
  monitor_key: number;
  node_key: number;
  checked_at: number;
  status: number;
  latency_cms: number;
  dns_cms: number | null;
  connect_cms: number | null;
  tls_cms: number | null;
  first_byte_cms: number | null;
  error_kind: number | null;
  message: string | null;
  details: string | null;
}

/** The integer key of a monitor in raw_results; deleted with the monitor (and its results). */
export interface MonitorKeysTable {
  key: Generated<number>;
  monitor_id: string;
}

/** The integer key of a node in raw_results. */
export interface NodeKeysTable {
  key: Generated<number>;
  node_id: string;
}

/** The `results` view: raw results with their text ids and values, as before migration 0017. */
export interface ResultsTable {
  /** Insertion order; never reused, so the rollup watermark can rely on it. */
  seq: Generated<number>;
  id: string;
  monitor_id: string;
  node_id: string;
  checked_at: number;
  status: string;
  latency_ms: number;
  dns_ms: number | null;
  connect_ms: number | null;
  tls_ms: number | null;
  first_byte_ms: number | null;
  error_kind: string | null;
  message: string;
  /** JSON object of type-specific details. */
  details: string;
}

export interface IncidentsTable {
  id: string;
  monitor_id: string;
  status: string;
  started_at: number;
  opened_at: number;
  ended_at: number | null;
  resolved_at: number | null;
  duration_ms: number | null;
  error_kind: string | null;
  cause: string;
  verdict: string;
  /** JSON array of strings. */
  regions: string;
  /** Set exactly when status is `retracted`. */
  retracted_at: number | null;
  retraction: string | null;
  /** Epoch ms it became `down` (its start when it opened `down`); null while only regional. */
  down_since: number | null;
  /** JSON array of strings: every region it named while regional. */
  named_regions: string;
  /** The first acknowledgement (migration 0009); all three null until acknowledged. */
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  ack_note: string | null;
  /** The maintenance window it opened in (migration 0012), with its name at the time. */
  maintenance_id: string | null;
  maintenance_name: string | null;
}

/** Maintenance windows (migration 0012); `domain/maintenance.ts`. */
export interface MaintenanceWindowsTable {
  id: string;
  name: string;
  /** JSON object: the validated scope (monitors, groups, tags, nodes). */
  scope: string;
  /** JSON object: the validated schedule (once or recurring). */
  schedule: string;
  reason: string | null;
  created_at: number;
  updated_at: number;
}

/** When each monitor was paused and resumed; an ongoing pause has no `resumed_at`. */
export interface MonitorPausesTable {
  monitor_id: string;
  paused_at: number;
  resumed_at: number | null;
}

export interface AlertDeliveriesTable {
  id: string;
  delivery_key: string;
  monitor_id: string | null;
  incident_id: string | null;
  node_id: string | null;
  channel: string;
  /** JSON object: the channel's settings. */
  settings: string;
  /** JSON object: the AlertEvent. */
  event: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  reason: string | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  /** The event's kind (down, recovered, node-missing…); null only for a corrupt old event. */
  kind: string | null;
  /** A closing alert's opening delivery on the same route. */
  follows_id: string | null;
  /** The named alert target; null for a route stored with inline settings. */
  target: string | null;
  /** What the provider returned to find the alert again (an issue number…). */
  provider_ref: string | null;
}

export interface AlertTargetsTable {
  id: string;
  name: string;
  type: string;
  /** JSON object: the channel's settings (secrets included; never shown). */
  settings: string;
  /** JSON object `{title?, body?}`: the target's message template; null for the default. */
  template: string | null;
  created_at: number;
  updated_at: number;
}

export interface AlertRulesTable {
  id: string;
  /** `default`, `group`, `tag` or `nodes`. */
  scope: string;
  /** The group or tag name; '' for `default` and `nodes`. */
  scope_value: string;
  target: string;
  /** JSON array of the event kinds this rule routes. */
  events: string;
  repeat_every_ms: number | null;
  escalate_after_ms: number | null;
  created_at: number;
}

export interface AlertAttemptsTable {
  delivery_id: string;
  attempt: number;
  at: number;
  outcome: string;
  error: string | null;
  http_status: number | null;
}

export interface RollupTable {
  monitor_id: string;
  bucket_start: number;
  count: number;
  failures: number;
  degraded: number;
  latency_p50: number | null;
  latency_p95: number | null;
  latency_max: number | null;
}

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

/** Hours 01–23 of a UTC day, as they appear in column names. */
export type HourOfDay = Exclude<`0${Digit}` | `1${Digit}` | `2${'0' | '1' | '2' | '3'}`, '00'>;

/**
 * Running totals through a day: `count_before_h07` holds the day's results checked before
 * 07:00 UTC (hours 00–06). With them a day row answers "results between hh:00 and hh:00"
 * on its own, which is what uptime needs at a window's edges.
 */
export type HourPrefixColumns = { [H in HourOfDay as `count_before_h${H}`]: number } & {
  [H in HourOfDay as `failures_before_h${H}`]: number;
};

/** A day bucket (UTC day): the hour table's figures plus the day's hour-by-hour prefixes. */
export type RollupDayTable = RollupTable & HourPrefixColumns;

export interface MetaTable {
  key: string;
  value: string;
}

/** Which SQL engine a Kysely instance talks to; the few schema differences key off this. */
export type SqlDialectName = 'sqlite' | 'postgres';

/** Cluster members, including removed ones (their serials make up the revocation list). */
export interface NodesTable {
  id: string;
  name: string;
  role: string;
  region: string | null;
  /** JSON object of string labels. */
  labels: string;
  version: string;
  cert_serial: string;
  cert_not_after: number;
  enrolled_at: number;
  last_seen: number | null;
  state: string;
  state_since: number;
  clock_offset_ms: number | null;
  checks_per_second: number | null;
  outbox_backlog: number | null;
  remote_address: string | null;
  removed_at: number | null;
  impaired_since: number | null;
}

/** Membership transitions, kept as the record of when a node went missing and came back. */
export interface NodeEventsTable {
  id: string;
  node_id: string;
  at: number;
  from_state: string | null;
  to_state: string;
}

/** Join tokens: only the SHA-256 of the secret is stored; single use. */
export interface JoinTokensTable {
  id: string;
  secret_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by_node: string | null;
  /** Role of the operator token the enrolled node gets; null in tokens made before 0008. */
  operator_role: string | null;
}

/** Decided confirmation rounds; rounds of no incident are pruned with raw results. */
export interface RoundsTable {
  id: string;
  monitor_id: string;
  incident_id: string | null;
  purpose: string;
  triggered_by: string;
  opened_at: number;
  deadline_at: number;
  decided_at: number;
  verdict: string;
  /** JSON array of strings. */
  regions: string;
}

/** Every vote of a round, one per node; late answers flagged (0/1), never replacing one. */
export interface RoundVotesTable {
  round_id: string;
  node_id: string;
  node_name: string;
  region: string | null;
  outcome: string;
  status: string | null;
  latency_ms: number | null;
  error_kind: string | null;
  message: string;
  /** JSON object: the PhaseTimings. */
  timings: string;
  checked_at: number | null;
  answered_at: number | null;
  late: number;
  set_aside: string | null;
}

/** An object applied from a config file (`source`) under its key there. */
export interface ManagedObjectsTable {
  kind: string;
  object_id: string;
  source: string;
  config_key: string;
}

export interface StatusPagesTable {
  id: string;
  slug: string;
  title: string;
  description: string | null;
  /** JSON array of hostnames. */
  custom_domains: string;
  /** JSON array of { name, monitorIds }. */
  groups: string;
  show_regions: number;
  show_details: number;
  /** JSON array of monitor ids. */
  badge_monitor_ids: string;
  created_at: number;
  updated_at: number;
}

export interface IncidentUpdatesTable {
  id: string;
  incident_id: string;
  status: string;
  message: string;
  public: number;
  author: string;
  created_at: number;
}

export type { ApiTokensTable, SessionsTable, UsersTable } from './schema-auth.ts';
