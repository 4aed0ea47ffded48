import type { IncidentUpdateStatus } from '../domain/status-page.ts';

// What a public status page shows, already stripped of what it must not show: every renderer
// (HTML, feeds, summary.json, badges) reads this and nothing else, so no renderer can leak a
// node name, error or target the page did not opt into.

/** A monitor's state in words a visitor understands. */
export type PublicStatus =
  'operational' | 'degraded' | 'partial-outage' | 'outage' | 'maintenance' | 'paused' | 'unknown';

/** One day's bar: uptime over a 24-hour slice ending at `to` (null: nothing observed). */
export interface DayBar {
  from: number;
  to: number;
  uptime: number | null;
  downMs: number;
}

/** A region where a monitor is not fine (only with `showRegions`). */
export interface RegionTrouble {
  region: string;
  status: 'down' | 'degraded';
}

/** Internal detail, present only on pages with `showDetails`. */
export interface MonitorDetail {
  target: string;
  lastMessage: string | null;
  /** Names of nodes failing it now. */
  failingNodes: string[];
}

export interface PublicMonitor {
  id: string;
  name: string;
  status: PublicStatus;
  /** Confirmed-downtime uptime per window (null: nothing observed). */
  uptime: { '24h': number | null; '7d': number | null; '30d': number | null; '90d': number | null };
  /** 90 bars, oldest first. */
  days: DayBar[];
  lastLatencyMs: number | null;
  regions: RegionTrouble[];
  detail: MonitorDetail | null;
}

export interface PublicUpdate {
  status: IncidentUpdateStatus;
  message: string;
  createdAt: number;
}

export interface PublicIncident {
  id: string;
  monitorId: string;
  monitorName: string;
  /** `down`: confirmed from everywhere; `regional`: from some regions only. */
  verdict: 'down' | 'regional';
  /** Regions of a regional incident (only with `showRegions`). */
  regions: string[];
  startedAt: number;
  resolvedAt: number | null;
  /** The latest public update's status, else investigating / resolved from the incident. */
  status: IncidentUpdateStatus;
  /** Public updates, newest first. */
  updates: PublicUpdate[];
  /** The failing check's message (only with `showDetails`). */
  cause: string | null;
}

export interface PublicMaintenance {
  name: string;
  reason: string | null;
  start: number;
  end: number;
  active: boolean;
  monitorNames: string[];
}

export interface StatusPageModel {
  slug: string;
  title: string;
  description: string | null;
  generatedAt: number;
  overall: PublicStatus;
  groups: { name: string; monitors: PublicMonitor[] }[];
  /** Open incidents, newest first. */
  activeIncidents: PublicIncident[];
  /** Resolved incidents of the feed period, newest first (the page shows the last 14 days). */
  pastIncidents: PublicIncident[];
  /** Active and upcoming maintenance touching the page's monitors, soonest first. */
  maintenance: PublicMaintenance[];
  showRegions: boolean;
  /** Monitors with badges that the page does not show (badge opt-in). */
  badgeMonitors: PublicMonitor[];
}
