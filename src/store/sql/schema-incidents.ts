// Incidents and what is told or planned around them (public updates, status pages,
// maintenance windows), part of `Database` in schema.ts.

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
  /** The parent incident it is linked to (migration 0018), with the parent monitor's name. */
  caused_by_incident_id: string | null;
  caused_by_monitor_id: string | null;
  caused_by_monitor_name: string | null;
  /** The group of incidents sharing a cause it belongs to (migration 0021). */
  cause_group_id: string | null;
}

/** Incidents grouped by a shared cause (migration 0021); members name it in `incidents`. */
export interface CauseGroupsTable {
  id: string;
  cause_kind: string;
  cause_value: string;
  verdict: string;
  /** JSON array of strings. */
  regions: string;
  /** collecting, paged, dissolved or closed. */
  state: string;
  opened_at: number;
  decide_by: number;
  paged_at: number | null;
  last_join_at: number;
  closed_at: number | null;
  /** JSON array of route keys its page went to. */
  paged_routes: string;
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
