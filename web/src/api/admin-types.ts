/**
 * API shapes of the Nodes and Settings pages (nodes, join tokens, users, API tokens, TOTP).
 * test/types/web-admin-types.check.ts makes tsc prove each against the server's schemas.
 */
import type { ManagedBy } from './forms-types.ts';
import type { Role } from './types.ts';

export type MembershipState = 'online' | 'grace' | 'missing';

export interface NodeView {
  id: string;
  name: string;
  role: 'coordinator' | 'agent';
  region: string | null;
  labels: Record<string, string>;
  version: string;
  enrolledAt: number;
  lastSeen: number | null;
  state: MembershipState;
  stateSince: number;
  clockOffsetMs: number | null;
  checksPerSecond: number | null;
  outboxBacklog: number | null;
  remoteAddress: string | null;
  impairedSince: number | null;
  canaries: { total: number; failing: number } | null;
}

export interface NodeEvent {
  id: string;
  nodeId: string;
  at: number;
  from: string | null;
  to: string;
}

export interface NodeDetail {
  node: NodeView;
  events: NodeEvent[];
  anomalies: { roundId: string; monitorId: string; decidedAt: number; message: string }[];
}

export interface ClusterOverview {
  coordinator: { id: string; name: string };
  nodes: { online: number; grace: number; missing: number; total: number };
  regions: { region: string | null; total: number; online: number }[];
}

export interface JoinToken {
  token: string;
  tokenId: string;
  expiresAt: number;
}

export interface TokenView {
  id: string;
  userId: string;
  name: string;
  access: 'read' | 'write';
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface CreatedToken extends TokenView {
  token: string;
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
}

export type { Role };

export interface StatusPageGroup {
  name: string;
  monitorIds: string[];
}

/** A public status page's settings (statuspages.*). */
export interface StatusPage {
  id: string;
  slug: string;
  title: string;
  description: string | null;
  customDomains: string[];
  groups: StatusPageGroup[];
  showRegions: boolean;
  showDetails: boolean;
  badgeMonitorIds: string[];
  createdAt: number;
  updatedAt: number;
  managedBy?: ManagedBy;
}

/** What the status-page editor needs of a monitor to offer it in its picker. */
export interface MonitorChoice {
  id: string;
  name: string;
  group: string | null;
}
