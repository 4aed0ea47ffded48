// The alerting tables (deliveries and their attempts, targets, routing rules), part of
// `Database` in schema.ts.

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

export interface AlertAttemptsTable {
  delivery_id: string;
  attempt: number;
  at: number;
  outcome: string;
  error: string | null;
  http_status: number | null;
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
