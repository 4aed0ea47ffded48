// The cluster tables (nodes, their transitions, join tokens, confirmation rounds and their
// votes), part of `Database` in schema.ts.

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
  /** A coordinator's advertised peer address (host:port); null for agents (migration 0024). */
  peer_address: string | null;
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
  /** `agent` or `coordinator` (0023; tokens made before it are `agent`). */
  kind: string;
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
