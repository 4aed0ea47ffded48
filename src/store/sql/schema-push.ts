/** Push monitors' last pings (migration 0019), one row per monitor. */
export interface PushStatesTable {
  monitor_id: string;
  last_ping_at: number | null;
  last_status: string | null;
  last_message: string | null;
  run_started_at: number | null;
  last_run_ms: number | null;
  updated_at: number;
}
