/**
 * The API's shapes as the dashboard reads them. Declared here, not imported, because the
 * server's schema modules pull in Node-only code; test/types/web-api-types.check.ts makes tsc
 * prove each one matches the operation's output schema, so drift is a type error.
 */

export type Role = 'viewer' | 'editor' | 'admin';

export interface UserView {
  id: string;
  name: string;
  role: Role;
  kind: 'person' | 'local' | 'node';
  totp: boolean;
  createdAt: number;
  disabledAt: number | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SignedIn {
  user: UserView;
  csrfToken: string;
  expiresAt: number;
}

export type MonitorState =
  'pending' | 'up' | 'degraded' | 'down' | 'regional' | 'unknown' | 'flapping' | 'paused';

/** The fields of monitors.status the dashboard shows. */
export interface MonitorStatus {
  id: string;
  name: string;
  type: string;
  target: string;
  group: string | null;
  tags: string[];
  status: string;
  lastCheckedAt: number | null;
  lastLatencyMs: number | null;
  openIncidentId: string | null;
}

/** What every live event carries; pages narrow on `type`. */
export interface LiveEvent {
  id: string;
  type: string;
  monitorId?: string | null;
  incidentId?: string | null;
  nodeId?: string | null;
  at?: number;
}
